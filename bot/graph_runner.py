"""A GraphRunner for Rasa 3.6.21 that runs the graph in plain Python instead of through dask.

Rasa runs the NLU graph once per message and the policy graph once per prediction with `DaskGraphRunner`, whose
scheduler costs a few ms per run on our 2-core machine. `SequentialGraphRunner` runs the same nodes in a
topological order with DaskGraphRunner's semantics, which are kept exactly:

- nodes are instantiated the same way, with the same hooks;
- a run covers `minimal_graph_schema(targets or target_names)`, all of it;
- a node is called with the `(node_name, value)` outputs of its `needs`, in order; a need that names nothing in
  the graph is passed as the bare name (dask passes non-keys through; GraphNode warns about them);
- inputs go in as `(input_name, value)` under their name and replace a node of that name; a `str` input value that
  names a node or an earlier input is the same GraphRunError;
- node exceptions propagate unchanged, except RuntimeError (also a cycle), wrapped in GraphRunError as Rasa does;
- a target that is neither node nor input is a KeyError, after the nodes have run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import ExecutionContext, GraphNode, GraphNodeHook, GraphSchema
from rasa.engine.runner.interface import GraphRunner
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


def topological_order(schema: GraphSchema, replaced: Iterable[str] = ()) -> list[str]:
    """Every node of `schema` after the nodes it needs; `replaced` nodes (given as inputs) are left out.

    A replaced node's needs are not its dependencies any more (as in the dask graph), but they still run.
    """
    replaced = set(replaced)
    order: list[str] = []
    state: dict[str, bool] = {}  # False while being visited, True when placed

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) is True:
            return
        if name in state:
            cycle = [*path[path.index(name) :], name]
            raise RuntimeError("Cycle detected between the following keys:\n  -> " + "\n  -> ".join(cycle))
        state[name] = False
        for need in schema.nodes[name].needs.values():
            if need in schema.nodes and need not in replaced:
                visit(need, [*path, name])
        state[name] = True
        order.append(name)

    for name in schema.nodes:
        if name not in replaced:
            visit(name, [])
    return order


class SequentialGraphRunner(GraphRunner):
    """DaskGraphRunner's behaviour without dask's scheduler (see the module docstring)."""

    def __init__(
        self,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> None:
        self._graph_schema = graph_schema
        self._execution_context = execution_context
        self._instantiated_nodes: dict[str, GraphNode] = {
            node_name: GraphNode.from_schema_node(node_name, schema_node, model_storage, execution_context, hooks)
            for node_name, schema_node in graph_schema.nodes.items()
        }
        # The schema never changes, so the minimal schema and the order per targets are worked out once.
        self._minimal_schemas: dict[tuple[str, ...], GraphSchema] = {}
        self._orders: dict[tuple[tuple[str, ...], frozenset[str]], list[str]] = {}

    @classmethod
    def create(
        cls,
        graph_schema: GraphSchema,
        model_storage: ModelStorage,
        execution_context: ExecutionContext,
        hooks: list[GraphNodeHook] | None = None,
    ) -> SequentialGraphRunner:
        """Creates the runner (see GraphRunner.create)."""
        return cls(graph_schema, model_storage, execution_context, hooks)

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        """Runs the graph (see GraphRunner.run): {target: output} for the targets, or the schema's targets."""
        run_targets = targets if targets else self._graph_schema.target_names
        key = tuple(run_targets)
        schema = self._minimal_schemas.get(key)
        if schema is None:
            schema = self._minimal_schemas[key] = self._graph_schema.minimal_graph_schema(run_targets)

        outputs: dict[str, Any] = {}
        if inputs:
            names = set(schema.nodes)
            for input_name, input_value in inputs.items():
                if isinstance(input_value, str) and input_value in names:
                    raise GraphRunError(
                        f"Input value '{input_value}' clashes with a node name. Make sure "
                        f"that none of the input names passed to the `run` method are the "
                        f"same as node names in the graph schema."
                    )
                names.add(input_name)
                outputs[input_name] = (input_name, input_value)

        # Lazy formatting: Rasa's f-string renders the whole tracker even when debug logging is off.
        logger.debug("Running graph with inputs: %s, targets: %s and %s.", inputs, targets, self._execution_context)

        try:
            replaced = frozenset(name for name in outputs if name in schema.nodes)
            order = self._orders.get((key, replaced))
            if order is None:
                order = self._orders[(key, replaced)] = topological_order(schema, replaced)
            for node_name in order:
                needs = schema.nodes[node_name].needs.values()
                outputs[node_name] = self._instantiated_nodes[node_name](*(outputs.get(n, n) for n in needs))
            return dict(outputs[target] for target in run_targets)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
