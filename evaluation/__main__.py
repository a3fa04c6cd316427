"""Print the understanding figures of a trained model on the development or the test sets.

    python -m evaluation [--sets dev|test] [--model models/sscard.tar.gz] [--errors]

Per language: intent accuracy and macro F1 (compound questions right only with every
question in order), out-of-scope precision and recall, compound questions on their own,
follow-ups answered in the context of the previous topic, and place recall and precision
on the resolved place. Tune on `--sets dev`; the test
sets are for the figures the gates in tests/nlu check.
"""

import argparse

from evaluation.follow_ups import evaluate_follow_ups, follow_up_files, read_follow_ups
from evaluation.nlu import (
    COMPOUND_SEPARATOR,
    LANGUAGES,
    ROOT,
    TEST_SETS,
    dev_set_files,
    evaluate,
    examples_of,
    held_out_files,
    parse_all,
    quiet_rasa_logging,
)
from evaluation.places import evaluate_places


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", choices=("dev", "test"), default="dev")
    parser.add_argument("--model", default=str(ROOT / "models" / "sscard.tar.gz"))
    parser.add_argument("--errors", action="store_true", help="list every wrong answer")
    args = parser.parse_args()

    import rasa_fixes
    from knowledge import load_knowledge

    rasa_fixes.install()
    from rasa.core.agent import Agent

    quiet_rasa_logging()

    agent = Agent.load(args.model)
    directory = load_knowledge().regions
    for language in LANGUAGES:
        files = dev_set_files(language) if args.sets == "dev" else held_out_files(language)
        places_files = sorted(TEST_SETS.glob(f"{args.sets}_places*_{language}.yml"))
        examples = examples_of(files)
        parses = parse_all(agent.parse_message, [e.text for e in examples])
        result = evaluate(examples, parses)
        compound = [(e, p) for e, p in zip(examples, parses) if COMPOUND_SEPARATOR in e.intent]
        print(
            f"[{language}, {args.sets}] {result.report() if args.errors else result.report().splitlines()[0]}"
        )
        if compound:
            scored = evaluate([e for e, _ in compound], [p for _, p in compound])
            print(f"  compound questions: {scored.accuracy:.3f} of {scored.examples}")
        follow_ups = read_follow_ups(follow_up_files(language, args.sets))
        if follow_ups:
            scores = evaluate_follow_ups(agent.parse_message, follow_ups, language)
            print("  " + (scores.report() if args.errors else scores.report().splitlines()[0]))
        if places_files:
            places = evaluate_places(directory, examples_of(places_files))
            print("  " + (places.report() if args.errors else places.report().splitlines()[0]))


if __name__ == "__main__":
    main()
