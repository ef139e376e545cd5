"""bot/graph_runner.py: SequentialGraphRunner gives what Rasa's DaskGraphRunner gives, on small graphs (our model:
tests/integration/test_graph_runner_model.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphNodeHook, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException

from bot.graph_runner import SequentialGraphRunner, topological_order

RUNNERS = [DaskGraphRunner, SequentialGraphRunner]


class Node(GraphComponent):
    """Returns its name applied to its inputs, e.g. "c(a,b)", and notes that it ran."""

    runs: list[str] = []  # noqa: RUF012 - shared on purpose: which nodes ran, across instances

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Node:
        return cls(config)

    def run(self, **inputs: Any) -> str:
        name = self._config["name"]
        Node.runs.append(name)
        if "raise" in self._config:
            raise self._config["raise"]
        return f"{name}({','.join(str(inputs[key]) for key in sorted(inputs))})"


class Recorder(GraphNodeHook):
    """Notes every node a runner's hooks see, with the inputs it received."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def on_before_node(
        self, node_name: str, execution_context: ExecutionContext, config: dict[str, Any], received_inputs: dict
    ) -> dict:
        self.seen.append((node_name, dict(received_inputs)))
        return {}

    def on_after_node(
        self,
        node_name: str,
        execution_context: ExecutionContext,
        config: dict[str, Any],
        output: Any,
        input_hook_data: dict,
    ) -> None:
        pass


def node(needs: dict[str, str] | None = None, eager: bool = True, target: bool = False, **config: Any) -> SchemaNode:
    return SchemaNode(needs=needs or {}, uses=Node, constructor_name="create", fn="run", config=config,
                      eager=eager, is_target=target)  # fmt: skip


def diamond() -> GraphSchema:
    """a → b, a → c, (b, c) → d (target); e hangs off a and is not needed by d."""
    return GraphSchema({
        "a": node(name="a"),
        "b": node({"x": "a"}, name="b"),
        "c": node({"x": "a"}, eager=False, name="c"),
        "d": node({"left": "b", "right": "c"}, target=True, name="d"),
        "e": node({"x": "a"}, name="e"),
    })  # fmt: skip


def run_with(runner_class: type, schema: GraphSchema, tmp_path: Path, **run: Any) -> tuple[Any, list[str], Recorder]:
    """One fresh runner's result (or raised exception), the nodes that ran, and what its hooks saw."""
    Node.runs = []
    hook = Recorder()
    storage = LocalModelStorage(tmp_path / runner_class.__name__)
    runner = runner_class.create(schema, storage, ExecutionContext(schema, "test"), [hook])
    try:
        result = runner.run(**run)
    except Exception as error:
        result = error
    return result, sorted(Node.runs), hook


def both(schema: GraphSchema, tmp_path: Path, **run: Any) -> tuple[Any, list[str], Recorder]:
    """Runs with dask and with ours, asserts the same outcome, and returns ours."""
    dask, ours = (run_with(runner, schema, tmp_path, **run) for runner in RUNNERS)
    if isinstance(dask[0], Exception):
        assert type(ours[0]) is type(dask[0]), (ours[0], dask[0])
        assert str(ours[0]) == str(dask[0])
        assert type(ours[0].__cause__) is type(dask[0].__cause__)
    else:
        assert ours[0] == dask[0]
    assert ours[1] == dask[1]  # the same nodes ran
    assert sorted(ours[2].seen, key=repr) == sorted(dask[2].seen, key=repr)
    return ours


def test_diamond_runs_each_node_once_after_its_needs(tmp_path: Path) -> None:
    result, runs, hook = both(diamond(), tmp_path)
    assert result == {"d": "d(b(a()),c(a()))"}
    assert runs == ["a", "b", "c", "d"]  # e is not needed by the target
    names = [name for name, _ in hook.seen]
    assert names.index("a") < names.index("b") < names.index("d") and names.index("c") < names.index("d")


def test_targets_subset_runs_only_what_they_need(tmp_path: Path) -> None:
    result, runs, _ = both(diamond(), tmp_path, targets=["e", "b"])
    assert result == {"e": "e(a())", "b": "b(a())"}
    assert runs == ["a", "b", "e"]


def test_inputs_reach_the_nodes_that_need_them(tmp_path: Path) -> None:
    schema = GraphSchema({
        "x": node({"m": "__message__", "t": "__tracker__"}, name="x"),
        "y": node({"x": "x", "m": "__message__"}, target=True, name="y"),
    })  # fmt: skip
    result, runs, _ = both(schema, tmp_path, inputs={"__message__": ["hei"], "__tracker__": 7, "unused": object})
    assert result == {"y": "y(['hei'],x(['hei'],7))"}
    assert runs == ["x", "y"]


def test_an_input_can_be_a_target(tmp_path: Path) -> None:
    result, _, _ = both(diamond(), tmp_path, inputs={"__message__": 1}, targets=["__message__", "b"])
    assert result == {"__message__": 1, "b": "b(a())"}


def test_an_input_named_like_a_node_replaces_it_and_its_needs_still_run(tmp_path: Path) -> None:
    result, runs, _ = both(diamond(), tmp_path, inputs={"b": "given"})
    assert result == {"d": "d(given,c(a()))"}
    assert runs == ["a", "c", "d"]


def test_an_input_value_naming_a_node_is_a_graph_run_error(tmp_path: Path) -> None:
    # Rasa checks input *values*: a string input equal to a node (or earlier input) name is refused before running.
    for inputs in ({"__message__": "b"}, {"first": 1, "second": "first"}):
        result, runs, _ = both(diamond(), tmp_path, inputs=inputs)
        assert isinstance(result, GraphRunError) and "clashes with a node name" in str(result)
        assert runs == []


def test_a_missing_input_is_passed_as_its_name_as_with_dask(tmp_path: Path) -> None:
    schema = GraphSchema({"x": node({"m": "__message__"}, target=True, name="x")})
    result, _, _ = both(schema, tmp_path)  # GraphNode warns, then misses the input
    assert isinstance(result, GraphRunError) and "Missing input" in str(result)


def test_an_unknown_target_is_a_key_error_after_the_run(tmp_path: Path) -> None:
    result, runs, _ = both(diamond(), tmp_path, targets=["d", "nowhere"])
    assert isinstance(result, KeyError)
    assert runs == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    "error, expected",
    [
        (ValueError("boom"), GraphComponentException),  # GraphNode wraps what is not a RasaException
        (RuntimeError("boom"), GraphComponentException),
        (InvalidConfigException("boom"), InvalidConfigException),  # passed through unchanged
    ],
)
def test_a_failing_node_raises_the_same_exception(tmp_path: Path, error: Exception, expected: type) -> None:
    schema = diamond()
    schema.nodes["c"] = node({"x": "a"}, name="c", **{"raise": error})
    result, _, _ = both(schema, tmp_path)
    assert type(result) is expected


def test_a_cycle_fails_as_with_dask(tmp_path: Path) -> None:
    schema = GraphSchema({
        "a": node({"x": "b"}, name="a"),
        "b": node({"x": "a"}, target=True, name="b"),
    })  # fmt: skip
    result, runs, _ = both(schema, tmp_path)
    assert isinstance(result, RecursionError)  # Rasa's minimal_graph_schema, before any runner work
    assert runs == []
    with pytest.raises(RuntimeError, match="Cycle detected"):  # our order's own check, should a cycle get there
        topological_order(schema)


def test_the_order_is_worked_out_once_per_targets(tmp_path: Path) -> None:
    runner = SequentialGraphRunner.create(diamond(), LocalModelStorage(tmp_path), ExecutionContext(diamond(), "t"))
    assert runner.run() == runner.run() == runner.run(targets=["d"])
    assert len(runner._orders) == 1
    assert topological_order(diamond()) in (["a", "b", "c", "d", "e"], ["a", "c", "b", "d", "e"])
