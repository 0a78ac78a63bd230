#include "eval/isa.hpp"
#include "eval/outcome.hpp"
#include "eval/workspace.hpp"

namespace proactif {

#define PROACTIF_DECLARE_ISA(isa)                                                                                       \
  namespace isa {                                                                                                    \
  Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes, bool absent_is_unknown);                 \
  Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options);    \
  void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1, bool every_register, \
                 Households next);                                                                                     \
  }

#if defined(PROACTIF_MULTI_ISA)
PROACTIF_DECLARE_ISA(isa_v4)
PROACTIF_DECLARE_ISA(isa_v3)
PROACTIF_DECLARE_ISA(isa_v2)

namespace {

enum class Level { kV4, kV3, kV2 };

Level level() {
  static const Level found = __builtin_cpu_supports("x86-64-v4")   ? Level::kV4
                             : __builtin_cpu_supports("x86-64-v3") ? Level::kV3
                                                                   : Level::kV2;
  return found;
}

}  // namespace

#define PROACTIF_CALL(function, ...)                                                               \
  (level() == Level::kV4   ? isa_v4::function(__VA_ARGS__)                                        \
   : level() == Level::kV3 ? isa_v3::function(__VA_ARGS__)                                        \
                           : isa_v2::function(__VA_ARGS__))
#else
PROACTIF_DECLARE_ISA(PROACTIF_ISA)
#define PROACTIF_CALL(function, ...) PROACTIF_ISA::function(__VA_ARGS__)
#endif

Result<BoundPlan> bind(const Plan& plan, Days date, const CodeTable& codes, bool absent_is_unknown) {
  return PROACTIF_CALL(bind, plan, date, codes, absent_is_unknown);
}

Outcome evaluate(const BoundPlan& bound, const Batch& batch, const CodeTable& codes, const EvalOptions& options) {
  return PROACTIF_CALL(evaluate, bound, batch, codes, options);
}

void run_chunk(const BoundPlan& bound, const Batch& batch, Workspace& ws, size_t h0, size_t h1, bool every_register,
               Households next) {
  PROACTIF_CALL(run_chunk, bound, batch, ws, h0, h1, every_register, next);
}

}  // namespace proactif
