// Builds the population snapshot from the rows of the extracts read and their
// linkage: households from the extracts that group persons into households
// (the CAF's allocataires), variables from every extract, the first extract
// named that knows a value giving it (with its provenance), identity traits
// left out.
#pragma once

#include <vector>

#include "identity/linkage.hpp"
#include "population/snapshot.hpp"
#include "sources/extract_reader.hpp"

namespace proactif {

struct ReadExtract {
  SourceMapping mapping;
  std::vector<ExtractRow> rows;  // accepted rows, in the order linkage saw them
  ExtractStats stats;
};

// `linkage.person` lists the persons of all rows of `extracts`, extract after extract.
Snapshot build_snapshot(const std::vector<ReadExtract>& extracts, const LinkageResult& linkage);

}  // namespace proactif
