#pragma once
// An edge of the graph: which input of which node a gradient flows into.

#include <cstdint>
#include <memory>

namespace webtorch {

class Node;

struct Edge {
  Edge() = default;
  Edge(std::shared_ptr<Node> fn, uint32_t nr) : function(std::move(fn)), input_nr(nr) {}
  bool is_valid() const { return function != nullptr; }

  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
};

}  // namespace webtorch
