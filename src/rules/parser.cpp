#include "rules/parser.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace proactif {

namespace {

// Limits that keep a hostile or mistaken formula from exhausting the stack
// here, in the checker, the compiler and when the tree is freed, which all
// walk it recursively. A law's formula is a few dozen tokens; a table
// written as a chain of "if ... else if" runs to a few thousand (a case per
// commune code). Parentheses cost the descent nine calls each, an "else if"
// one: they have their own limits.
constexpr size_t kMaxTokens = 10000;
constexpr int kMaxNesting = 64;    // parentheses, calls, not, unary minus
constexpr int kMaxIfNesting = 1000;
constexpr int kMaxDepth = 1100;    // of the tree, chains of operators included

// The tree's depth, walked without recursion.
int tree_depth(const Expr& root) {
  int deepest = 0;
  std::vector<std::pair<const Expr*, int>> todo{{&root, 1}};
  while (!todo.empty()) {
    auto [e, d] = todo.back();
    todo.pop_back();
    deepest = std::max(deepest, d);
    for (const auto& a : e->args)
      if (a) todo.push_back({a.get(), d + 1});
  }
  return deepest;
}

bool is_aggregate(const std::string& name) {
  return name == "sum" || name == "count" || name == "any" || name == "all" || name == "min" ||
         name == "max" || name == "rank" || name == "cumulative_sum";
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  ExprPtr parse() {
    ExprPtr e = expression();
    if (peek().kind != TokenKind::kEnd) fail("expected an operator or the end of the formula");
    return e;
  }

  // The offset of the token a failure was found at, read once it is caught.
  int failed_at() const { return failed_at_; }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  bool at(std::string_view text) const {
    const Token& t = peek();
    return (t.kind == TokenKind::kSymbol || t.kind == TokenKind::kIdent) && t.text == text;
  }
  Token next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool accept(std::string_view text) {
    if (!at(text)) return false;
    ++pos_;
    return true;
  }
  [[noreturn]] void fail(const std::string& what) {
    failed_at_ = peek().offset;
    throw Failure{Error(ErrorKind::kProgram, what + ", found " + describe(peek()))};
  }
  void expect(std::string_view text, const std::string& context) {
    if (!accept(text)) fail("expected '" + std::string(text) + "' " + context);
  }

  static ExprPtr node(ExprKind kind, int offset, std::string text = {}) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    e->text = std::move(text);
    return e;
  }
  static ExprPtr binary(std::string op, int offset, ExprPtr l, ExprPtr r) {
    auto e = node(ExprKind::kBinary, offset, std::move(op));
    e->args.push_back(std::move(l));
    e->args.push_back(std::move(r));
    return e;
  }

  // Counts the recursion of the descent: deeper than its limit fails.
  struct Nested {
    int& depth;
    Nested(Parser& p, int& counter, int limit) : depth(counter) {
      if (++depth > limit)
        p.fail("formula nested more than " + std::to_string(limit) + " levels deep (write parts as named variables)");
    }
    ~Nested() { --depth; }
  };

  ExprPtr expression() {
    if (at("if")) {
      Nested guard(*this, if_nesting_, kMaxIfNesting);
      int offset = next().offset;
      auto e = node(ExprKind::kIf, offset);
      e->args.push_back(expression());
      expect("then", "after the condition of 'if'");
      e->args.push_back(expression());
      expect("else", "after the 'then' branch (every 'if' needs an 'else')");
      e->args.push_back(expression());
      return e;
    }
    return disjunction();
  }

  ExprPtr disjunction() {
    ExprPtr e = conjunction();
    while (at("or")) {
      int offset = next().offset;
      e = binary("or", offset, std::move(e), conjunction());
    }
    return e;
  }

  ExprPtr conjunction() {
    ExprPtr e = negation();
    while (at("and")) {
      int offset = next().offset;
      e = binary("and", offset, std::move(e), negation());
    }
    return e;
  }

  ExprPtr negation() {
    if (at("not")) {
      Nested guard(*this, nesting_, kMaxNesting);
      int offset = next().offset;
      auto e = node(ExprKind::kUnary, offset, "not");
      e->args.push_back(negation());
      return e;
    }
    return comparison();
  }

  ExprPtr comparison() {
    ExprPtr e = additive();
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">", "in"}) {
      if (at(op)) {
        int offset = next().offset;
        return binary(op, offset, std::move(e), additive());
      }
    }
    return e;
  }

  ExprPtr additive() {
    ExprPtr e = multiplicative();
    while (at("+") || at("-")) {
      Token op = next();
      e = binary(op.text, op.offset, std::move(e), multiplicative());
    }
    return e;
  }

  ExprPtr multiplicative() {
    ExprPtr e = unary();
    while (at("*") || at("/")) {
      Token op = next();
      e = binary(op.text, op.offset, std::move(e), unary());
    }
    return e;
  }

  ExprPtr unary() {
    if (at("-")) {
      Nested guard(*this, nesting_, kMaxNesting);
      int offset = next().offset;
      auto e = node(ExprKind::kUnary, offset, "-");
      e->args.push_back(unary());
      return e;
    }
    return primary();
  }

  ExprPtr primary() {
    const Token& t = peek();
    if (t.kind == TokenKind::kNumber) {
      auto e = node(ExprKind::kNumber, t.offset);
      e->number = t.number;
      next();
      // A quantity with its unit: 3 [month], 25 [year].
      if (accept("[")) {
        while (!at("]") && peek().kind != TokenKind::kEnd) e->text += next().text;
        expect("]", "to close the unit");
        if (e->text.empty()) fail("expected a unit between '[' and ']'");
      }
      return e;
    }
    if (t.kind == TokenKind::kString) {
      auto e = node(ExprKind::kString, t.offset, t.text);
      next();
      return e;
    }
    if (accept("(")) {
      Nested guard(*this, nesting_, kMaxNesting);
      ExprPtr e = expression();
      expect(")", "to close '('");
      return e;
    }
    if (at("[")) {
      auto e = node(ExprKind::kList, next().offset);
      if (!at("]")) {
        do {
          if (peek().kind != TokenKind::kString) fail("expected a code in quotes in the list");
          e->args.push_back(node(ExprKind::kString, peek().offset, peek().text));
          next();
        } while (accept(","));
      }
      expect("]", "to close the list");
      return e;
    }
    if (t.kind != TokenKind::kIdent) fail("expected a value, a name or '('");
    static const char* kReserved[] = {"and", "or", "not", "then", "else", "in", "where", "if", "by"};
    for (const char* r : kReserved)
      if (t.text == r) fail("expected a value, a name or '('");
    Token name = next();
    if (name.text == "true" || name.text == "false") {
      auto e = node(ExprKind::kBool, name.offset, name.text);
      e->number = name.text == "true";
      return e;
    }
    if (!accept("(")) return node(ExprKind::kName, name.offset, name.text);
    Nested guard(*this, nesting_, kMaxNesting);
    if (is_aggregate(name.text) && (at("persons") || at("all_persons"))) return aggregate(name);
    auto call = node(ExprKind::kCall, name.offset, name.text);
    if (!at(")")) {
      do call->args.push_back(expression());
      while (accept(","));
    }
    expect(")", "after the arguments of " + name.text);
    return call;
  }

  // AGG(persons [where FILTER] [by KEY] [: VALUE]), or AGG(all_persons ...)
  ExprPtr aggregate(const Token& name) {
    const bool all = next().text == "all_persons";
    auto e = node(ExprKind::kAggregate, name.offset, name.text);
    e->all_persons = all;
    e->args.resize(3);
    if (accept("where")) e->args[0] = expression();
    if (accept("by")) e->args[2] = expression();
    if (accept(":")) e->args[1] = expression();
    expect(")", "to close " + name.text + (all ? "(all_persons ...)" : "(persons ...)"));
    return e;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int failed_at_ = 0;
  int nesting_ = 0, if_nesting_ = 0;
};

}  // namespace

ExprPtr parse_formula(std::string_view text, LexError& error) {
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, error)) return nullptr;
  if (tokens.size() > kMaxTokens) {
    error = {0, "formula of " + std::to_string(tokens.size()) + " tokens, more than " + std::to_string(kMaxTokens) +
                    " (write parts as named variables)"};
    return nullptr;
  }
  Parser parser(std::move(tokens));
  try {
    ExprPtr e = parser.parse();
    if (tree_depth(*e) > kMaxDepth) {
      error = {0, "formula more than " + std::to_string(kMaxDepth) +
                      " operations deep (write parts as named variables)"};
      return nullptr;
    }
    return e;
  } catch (const Failure& f) {
    error = {parser.failed_at(), f.error.message};
    return nullptr;
  }
}

}  // namespace proactif
