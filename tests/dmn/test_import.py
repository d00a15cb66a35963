"""Import of models from other tools, and refusal, naming the element, of what b12spec does not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from b12spec.dmn.importer import SUPPORTED, DmnImportError, import_dmn
from b12spec.dmn.reader import DmnReadError
from b12spec.dmn.spec_files import write_spec_files
from b12spec.evaluate import evaluate
from b12spec.workspace import load_spec

from .conftest import TCK_DIR

HEAD = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="probe" namespace="urn:probe">'
INPUTS = '<inputData id="i_x" name="x"><variable name="x" typeRef="number"/></inputData>'
STRING_INPUT = '<inputData id="i_s" name="s"><variable name="s" typeRef="string"/></inputData>'


def model(decision_body: str, extra: str = "", inputs: str = INPUTS) -> bytes:
    return (
        HEAD + inputs + f'<decision id="d1" name="D">{decision_body}</decision>' + extra + "</definitions>"
    ).encode()


def table(
    input_entry: str = "&gt; 5", output_entry: str = '"big"', policy: str = "UNIQUE", extra_output: str = ""
) -> str:
    return (
        f'<decisionTable hitPolicy="{policy}">'
        '<input id="in1"><inputExpression typeRef="number"><text>x</text></inputExpression></input>'
        f'<output id="o1" name="size" typeRef="string">{extra_output}</output>'
        f'<rule id="r1"><inputEntry><text>{input_entry}</text></inputEntry>'
        f"<outputEntry><text>{output_entry}</text></outputEntry></rule>"
        '<rule id="r2"><inputEntry><text>&lt;= 5</text></inputEntry>'
        '<outputEntry><text>"small"</text></outputEntry></rule>'
        "</decisionTable>"
    )


def imported(document: bytes, tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    write_spec_files(import_dmn(document, "probe.dmn"), target)
    return target


def test_a_plain_table_imports_and_evaluates(tmp_path: Path) -> None:
    spec = load_spec(imported(model(table()), tmp_path))
    assert evaluate(spec, {"x": 7}).results["D"].value == {"size": "big"}
    assert evaluate(spec, {"x": 5}).results["D"].value == {"size": "small"}
    # no ranges, units or citations in the model: stated, not invented
    assert spec.source("model") is not None
    assert spec.table("D").rules[0].citations == ("model",)


def test_a_string_escape_survives_import(tmp_path: Path) -> None:
    spec = load_spec(imported(model(table(output_entry='"line\\nbreak"')), tmp_path))
    assert evaluate(spec, {"x": 7}).results["D"].value == {"size": "line\nbreak"}


@pytest.mark.parametrize(
    ("document", "named"),
    [
        (model("<literalExpression><text>x + 1</text></literalExpression>"), "<literalExpression> in decision 'D'"),
        (model(table(input_entry="x &gt; 5 and x &lt; 9")), "input entry 'x > 5 and x < 9' of rule 'r1'"),
        (model(table(output_entry="x * 2")), "output entry 'x * 2' of rule 'r1'"),
        (model(table(), '<businessKnowledgeModel id="b" name="B"/>'), "<businessKnowledgeModel> 'B'"),
        (model(table(), '<decisionService id="s" name="S"/>'), "<decisionService> 'S'"),
        (
            model(table(extra_output='<defaultOutputEntry><text>"small"</text></defaultOutputEntry>')),
            "<defaultOutputEntry> in decision 'D' (hit policy U)",
        ),
        (
            model(table(), inputs='<inputData id="i_x" name="x"><variable name="x" typeRef="date"/></inputData>'),
            "type 'date' of <inputData> 'x'",
        ),
        (
            model('<knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>' + table()),
            "<knowledgeRequirement> in decision 'D'",
        ),
    ],
)
def test_what_b12spec_does_not_execute_is_refused_by_name(document: bytes, named: str) -> None:
    with pytest.raises(DmnImportError) as caught:
        import_dmn(document)
    message = str(caught.value)
    assert named in message
    assert SUPPORTED in message, "the refusal says what is supported"


def test_a_string_input_needs_its_allowed_values(tmp_path: Path) -> None:
    body = (
        '<decisionTable><input id="in1"><inputExpression typeRef="string"><text>s</text></inputExpression></input>'
        '<output id="o1" name="size" typeRef="string"/>'
        '<rule id="r1"><inputEntry><text>"a"</text></inputEntry><outputEntry><text>"big"</text></outputEntry></rule>'
        "</decisionTable>"
    )
    with pytest.raises(DmnImportError, match="'s' is a string with no allowed values"):
        import_dmn(model(body, inputs=STRING_INPUT))


def test_a_default_output_under_first_is_a_last_catch_all_rule(tmp_path: Path) -> None:
    document = model(table(policy="FIRST", extra_output='<defaultOutputEntry><text>"none"</text></defaultOutputEntry>'))
    spec = load_spec(imported(document, tmp_path))
    last = spec.table("D").rules[-1]
    assert last.id == "D-default"
    assert all(test.is_any for test in last.inputs)
    assert last.outputs == ("none",)


@pytest.mark.parametrize(
    "document",
    [
        b"<definitions",
        b'<!DOCTYPE d [<!ENTITY e "boom">]><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/">&e;</definitions>',
    ],
)
def test_xml_that_is_broken_or_declares_a_dtd_is_refused(document: bytes) -> None:
    with pytest.raises(DmnReadError):
        import_dmn(document)


def test_a_document_that_is_not_dmn_13_is_refused() -> None:
    with pytest.raises(DmnImportError, match=r"not a DMN 1\.3 <definitions>"):
        import_dmn(b'<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd"/>')


def test_a_tck_model_imports_into_a_loadable_spec(tmp_path: Path) -> None:
    model_file = TCK_DIR / "0004-simpletable-U" / "0004-simpletable-U.dmn"
    spec = load_spec(imported(model_file.read_bytes(), tmp_path))
    assert spec.table("Approval Status").hit_policy.value == "U"
    assert spec.dictionary.get("RiskCategory") is not None
    assert spec.dictionary.get("RiskCategory").values == ("High", "Low", "Medium")  # type: ignore[union-attr]
