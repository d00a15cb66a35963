"""The clinicians' step vocabulary: patient facts, the proposed plan, and what the guideline says.

Steps only translate words into data-dictionary fields and compare the engine's outputs with
the spec's own labels; no threshold, dose or clinical rule lives here (those are in spec/).
"""

from __future__ import annotations

import re
from typing import Any

from b12spec.errors import CaseError
from b12spec.evaluate import evaluate
from b12spec.model import DecisionTable, OutputColumn
from b12spec.scenarios.context import ScenarioContext
from b12spec.scenarios.registry import STEPS, StepDefinition, expect, find_step, step

__all__ = ["STEPS", "ScenarioContext", "StepDefinition", "find_step"]

SHE = r"(?:she|he|they)"
HER = r"(?:her|his|their)"
HAS = r"(?:has|have)"
IS = r"(?:is|are)"

NOT_GIVEN = {"not measured", "not known", "not recorded", "an unknown time"}
# Units as clinicians write them, mapped to the data dictionary's symbols.
UNIT_WORDS = {"micromol/L": "umol/L", "µmol/L": "umol/L", "month": "months"}
_AMOUNT = re.compile(r"(?P<number>-?\d+(?:\.\d+)?)\s*(?P<unit>\S+)?")


def amount(text: str) -> Any:
    """'179.9 ng/L' -> {value, unit}; 'not measured' -> None; anything else is passed through
    unchanged so that the data dictionary, not the step, refuses it."""
    text = text.strip()
    if text in NOT_GIVEN:
        return None
    found = _AMOUNT.fullmatch(text)
    if not found:
        return text
    number = float(found["number"])
    if found["unit"] is None:
        return number
    return {"value": number, "unit": UNIT_WORDS.get(found["unit"], found["unit"])}


def _yes_no(answer: str, yes: tuple[str, ...], no: tuple[str, ...]) -> bool | None:
    if answer in yes:
        return True
    if answer in no:
        return False
    return None


# --------------------------------------------------------------------------- the patient

PEOPLE = {"woman": "female", "girl": "female", "man": "male", "boy": "male", "person": "other"}


@step("given", r"an? (?P<age>-?\d+)-year-old (?P<person>woman|man|person|girl|boy)")
def patient(context: ScenarioContext, age: str, person: str) -> None:
    """A new patient; pregnancy and breastfeeding start as false and are set by later steps."""
    context.case.update(age_years=int(age), sex=PEOPLE[person], pregnant=False, lactating=False)


@step("given", rf"{SHE} {IS} (?P<answer>pregnant|not pregnant)")
def pregnancy(context: ScenarioContext, answer: str) -> None:
    context.case["pregnant"] = answer == "pregnant"


@step("given", rf"{SHE} {IS} (?P<answer>breastfeeding|not breastfeeding)")
def breastfeeding(context: ScenarioContext, answer: str) -> None:
    context.case["lactating"] = answer == "breastfeeding"


@step("given", rf"{SHE} {HAS} (?P<answer>neurological involvement|no neurological involvement)")
def neurological(context: ScenarioContext, answer: str) -> None:
    context.case["neurological_involvement"] = answer == "neurological involvement"


SEVERITY = ("judged severe",), ("judged not severe",)
SEVERITY_WORDS = "judged severe|judged not severe|not assessed for severity"
CAUSE_WORDS = "is due to pernicious anaemia|is not due to pernicious anaemia|has no known cause"


@step("given", rf"{HER} neurological symptoms are (?P<answer>{SEVERITY_WORDS})")
def neurological_severity(context: ScenarioContext, answer: str) -> None:
    context.case["severe_neurological_symptoms"] = _yes_no(answer, *SEVERITY)


@step("given", rf"{HER} deficiency is (?P<answer>{SEVERITY_WORDS})")
def deficiency_severity(context: ScenarioContext, answer: str) -> None:
    context.case["severe_deficiency"] = _yes_no(answer, *SEVERITY)


@step("given", rf"{HER} deficiency (?P<answer>{CAUSE_WORDS})")
def pernicious_anaemia(context: ScenarioContext, answer: str) -> None:
    yes, no = ("is due to pernicious anaemia",), ("is not due to pernicious anaemia",)
    context.case["pernicious_anaemia"] = _yes_no(answer, yes, no)


@step("given", rf"{HER} deficiency has gone untreated for (?P<duration>.+)")
def untreated(context: ScenarioContext, duration: str) -> None:
    context.case["untreated_months"] = amount(duration)


LABORATORY = {
    "total B12": "total_b12",
    "active B12": "active_b12",
    "methylmalonic acid": "mma",
    "homocysteine": "homocysteine",
}


@step("given", rf"{HER} (?P<test>total B12|active B12|methylmalonic acid|homocysteine) is (?P<result>.+)")
def laboratory(context: ScenarioContext, test: str, result: str) -> None:
    context.case[LABORATORY[test]] = amount(result)


DIETS = {"omnivorous": "omnivore", "vegetarian": "vegetarian", "vegan": "vegan", "not recorded": None}


@step("given", rf"{HER} diet is (?P<diet>omnivorous|vegetarian|vegan|not recorded)")
def diet(context: ScenarioContext, diet: str) -> None:
    context.case["diet"] = DIETS[diet]


@step("given", rf"{SHE} (?P<answer>has had|have had|has not had|have not had) bariatric surgery")
def bariatric(context: ScenarioContext, answer: str) -> None:
    context.case["bariatric_surgery"] = answer in ("has had", "have had")


@step("given", rf"{SHE} {HAS} had (?P<length>-?[\d.]+) cm of {HER} ileum resected")
def ileal_resection(context: ScenarioContext, length: str) -> None:
    context.case["ileal_resection_cm"] = amount(f"{length} cm")


@step("given", rf"{SHE} {HAS} had no ileal resection")
def no_ileal_resection(context: ScenarioContext) -> None:
    context.case["ileal_resection_cm"] = amount("0 cm")


@step("given", rf"{SHE} (?P<answer>has|have|does not have|do not have) Crohn's disease")
def crohns(context: ScenarioContext, answer: str) -> None:
    context.case["crohns_disease"] = answer in ("has", "have")


@step("given", rf"{SHE} {HAS} (?P<answer>another malabsorption condition|no other malabsorption condition)")
def other_malabsorption(context: ScenarioContext, answer: str) -> None:
    context.case["other_malabsorption"] = answer == "another malabsorption condition"


@step("given", rf"{SHE} (?P<answer>takes|take|does not take|do not take) metformin")
def metformin(context: ScenarioContext, answer: str) -> None:
    context.case["metformin"] = answer in ("takes", "take")


# What "nothing is recorded about ..." leaves unknown (null), by the words a clinician uses.
UNRECORDED = {
    "bariatric surgery": "bariatric_surgery",
    "ileal resection": "ileal_resection_cm",
    "Crohn's disease": "crohns_disease",
    "other malabsorption": "other_malabsorption",
    "metformin": "metformin",
    "the cause of the deficiency": "pernicious_anaemia",
    "how long the deficiency has gone untreated": "untreated_months",
}


@step("given", "nothing is recorded about (?P<topic>" + "|".join(UNRECORDED) + ")")
def unrecorded(context: ScenarioContext, topic: str) -> None:
    context.case[UNRECORDED[topic]] = None


# --------------------------------------------------------------------------- the proposed plan

SOUND_PLAN = {
    "plan.treatment_timing": "immediate",
    "plan.folic_acid_alone": False,
    "plan.cause_investigated": True,
    "plan.follow_up_scheduled": True,
    "plan.injection_titration": "clinical_response",
}

PLAN_CHOICES = {
    "starts B12 treatment now": ("plan.treatment_timing", "immediate"),
    "puts off B12 treatment": ("plan.treatment_timing", "deferred"),
    "does not say when B12 treatment starts": ("plan.treatment_timing", None),
    "gives folic acid alone": ("plan.folic_acid_alone", True),
    "does not give folic acid alone": ("plan.folic_acid_alone", False),
    "does not say whether folic acid is given alone": ("plan.folic_acid_alone", None),
    "investigates the underlying cause": ("plan.cause_investigated", True),
    "does not investigate the underlying cause": ("plan.cause_investigated", False),
    "does not say whether the cause is investigated": ("plan.cause_investigated", None),
    "arranges follow-up monitoring": ("plan.follow_up_scheduled", True),
    "arranges no follow-up monitoring": ("plan.follow_up_scheduled", False),
    "does not say whether follow-up is arranged": ("plan.follow_up_scheduled", None),
    "adjusts injection frequency on clinical response": ("plan.injection_titration", "clinical_response"),
    "adjusts injection frequency on serum B12 alone": ("plan.injection_titration", "serum_b12"),
    "adjusts injection frequency on MMA alone": ("plan.injection_titration", "mma"),
    "adjusts no injections": ("plan.injection_titration", "not_applicable"),
    "does not say what injection frequency is adjusted on": ("plan.injection_titration", None),
}


@step("given", r"the proposed plan is sound")
def sound_plan(context: ScenarioContext) -> None:
    """Starts now, no folic acid alone, cause sought, follow-up arranged, adjusted on response."""
    context.case.update(SOUND_PLAN)


@step("given", "the proposed plan (?P<choice>" + "|".join(re.escape(c) for c in PLAN_CHOICES) + ")")
def plan_choice(context: ScenarioContext, choice: str) -> None:
    name, value = PLAN_CHOICES[choice]
    context.case[name] = value


@step("given", r"no plan is proposed")
def no_plan(context: ScenarioContext) -> None:
    for name in SOUND_PLAN:
        context.case.pop(name, None)


# --------------------------------------------------------------------------- applying the guideline


@step("when", r"the guideline is applied")
def apply_guideline(context: ScenarioContext) -> None:
    """Evaluate the case; a refused case is kept as the outcome for the Then steps to check."""
    try:
        context.evaluations.append(evaluate(context.spec, dict(context.case)))
        context.refusal = None
    except CaseError as error:
        context.refusal = error


# --------------------------------------------------------------------------- what the guideline says


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\([^)]*\)", " ", text).lower().split())


def find_output(context: ScenarioContext, words: str) -> tuple[DecisionTable, OutputColumn]:
    """An output named by its label, singular or plural ('alternatives' -> 'Alternative')."""
    wanted = _norm(words)
    candidates = {wanted, wanted.removesuffix("s"), wanted.removesuffix("es")}
    for table in context.spec.tables:
        for column in table.outputs:
            if _norm(column.label) in candidates:
                return table, column
    labels = ", ".join(sorted(c.label for t in context.spec.tables for c in t.outputs))
    raise AssertionError(f"no output is called {words!r}; the outputs are: {labels}")


def find_value(column: OutputColumn, label: str) -> Any:
    """An output value named by its label as the spec writes it (case and spacing aside)."""
    wanted = " ".join(label.lower().split())
    for value, text in column.value_labels:
        if " ".join(text.lower().split()) == wanted:
            return value
    allowed = "; ".join(f'"{text}"' for _, text in column.value_labels)
    raise AssertionError(f"{column.label!r} has no value {label!r}; its values are: {allowed}")


def _shown(column: OutputColumn, values: list[Any]) -> str:
    return "; ".join(f'"{column.label_of(v)}"' for v in values) or "nothing"


@step("then", r'the (?P<output>[^"]+?) is "(?P<label>[^"]+)"')
def output_is(context: ScenarioContext, output: str, label: str) -> None:
    table, column = find_output(context, output)
    expected = find_value(column, label)
    got = context.values(table, column)
    context.check(table, column)
    expect(got == [expected], f"{column.label}: expected only \"{label}\", got {_shown(column, got)}")


@step("then", r'the (?P<output>[^"]+?)(?<! not) (?:include|includes) "(?P<label>[^"]+)"')
def output_includes(context: ScenarioContext, output: str, label: str) -> None:
    table, column = find_output(context, output)
    expected = find_value(column, label)
    got = context.values(table, column)
    context.check(table, column, expected)
    expect(expected in got, f"{column.label}: expected \"{label}\" among {_shown(column, got)}")


@step("then", r'the (?P<output>[^"]+?) (?:do|does) not include "(?P<label>[^"]+)"')
def output_excludes(context: ScenarioContext, output: str, label: str) -> None:
    table, column = find_output(context, output)
    unexpected = find_value(column, label)
    got = context.values(table, column)
    context.check(table, column, unexpected)
    expect(unexpected not in got, f"{column.label}: \"{label}\" should not be given, got {_shown(column, got)}")


@step("then", r"no (?P<output>[^\"]+?) is (?:given|named|raised)")
def output_none(context: ScenarioContext, output: str) -> None:
    table, column = find_output(context, output)
    got = context.values(table, column)
    context.check(table, column)
    expect(not got, f"{column.label}: expected none, got {_shown(column, got)}")


# Counts written as words, the way a clinician reads them out ("exactly three alternatives").
NUMBERS = {word: count for count, word in enumerate(("one", "two", "three", "four", "five"), start=1)}


@step("then", r"exactly (?P<count>one|two|three|four|five) (?P<output>[^\"]+?) (?:is|are) (?:given|named|raised)")
def output_count(context: ScenarioContext, count: str, output: str) -> None:
    """How many results an output gives: a repeated or extra recommendation is a fault too."""
    table, column = find_output(context, output)
    got = context.values(table, column)
    context.check(table, column)
    expect(len(got) == NUMBERS[count], f"{column.label}: expected {count}, got {len(got)}: {_shown(column, got)}")


@step("then", r"vitamin B12 deficiency is confirmed")
def deficiency_confirmed(context: ScenarioContext) -> None:
    table, column = find_output(context, "B12 status")
    got = context.values(table, column)
    context.check(table, column)
    expect(got == ["deficient"], f"expected deficiency to be confirmed, got {_shown(column, got)}")


@step("then", r'the plan warns "(?P<label>[^"]+)"')
def plan_warns(context: ScenarioContext, label: str) -> None:
    output_includes(context, "warning", label)


@step("then", r"the plan gets no pitfall warning")
def no_warning(context: ScenarioContext) -> None:
    output_none(context, "warning")


@step("then", r"the source does not specify the (?P<output>[^\"]+?), see open question (?P<question>OQ-\d+)")
def not_specified(context: ScenarioContext, output: str, question: str) -> None:
    """The engine says 'not specified by the source' for this output and names the question."""
    table, column = find_output(context, output)
    hits = context.result(table).hits
    said = [h for h in hits if "not specified" in column.label_of(h.outputs[column.name]).lower()]
    got = _shown(column, [h.outputs[column.name] for h in hits])
    expect(bool(said), f"{column.label}: expected 'not specified by the source', got {got}")
    named = {q for h in said for q in h.open_questions}
    for hit in said:
        context.check(table, column, hit.outputs[column.name])
    expect(question in named, f"{column.label}: expected open question {question}, named {sorted(named) or 'none'}")


@step("then", r"open question (?P<question>OQ-\d+) is named for the (?P<output>[^\"]+)")
def question_named(context: ScenarioContext, question: str, output: str) -> None:
    table, column = find_output(context, output)
    result = context.result(table)
    for hit in result.hits:
        if question in hit.open_questions:
            context.check(table, column, hit.outputs[column.name])
    named = result.open_questions
    expect(question in named, f"{column.label}: expected open question {question}, named {list(named) or 'none'}")


@step("then", r"the case is refused with no recommendation")
def refused(context: ScenarioContext) -> None:
    expect(context.refusal is not None, "expected the case to be refused, but the guideline recommended")
    expect(context.evaluations == [], "a refused case must not produce any recommendation")


@step("then", r'the refusal explains "(?P<text>[^"]+)"')
def refusal_explains(context: ScenarioContext, text: str) -> None:
    expect(context.refusal is not None, "expected the case to be refused")
    expect(text.lower() in str(context.refusal).lower(), f"expected {text!r} in the refusal: {context.refusal}")
