"""What one run of `make bench` measures, and how hard it loads the servers.

bench/run.py fills a Figures per configuration; bench/report.py renders two of them side by
side. Neither of those needs the other, so the vocabulary they share lives here.
"""

from dataclasses import dataclass, field
from typing import Dict, Optional

from bench.load import Summary

# --quick trains the stock configuration with fewer epochs for these components; the report
# says so on every stock figure.
QUICK_EPOCHS = 5
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy", "UnexpecTEDIntentPolicy")


@dataclass(frozen=True)
class Load:
    """How many messages each load test sends."""

    c1_messages: int = 60  # 1 conversation x 60 messages
    c20_conversations: int = 20  # 20 conversations at once ...
    c20_messages: int = 10  # ... x 10 messages each
    long_turns: int = 50  # one conversation of 50 turns
    warmup_messages: int = 10  # not measured


FULL_LOAD = Load()
QUICK_LOAD = Load(
    c1_messages=20, c20_conversations=20, c20_messages=5, long_turns=50, warmup_messages=5
)


@dataclass
class Figures:
    """Everything measured for one configuration (None: not measured)."""

    training_s: Optional[float] = None
    model_bytes: Optional[int] = None
    # language -> accuracy, macro_f1, out_of_scope_precision, out_of_scope_recall
    accuracy: Dict[str, Dict[str, float]] = field(default_factory=dict)
    startup_s: Optional[float] = None
    rasa_rss: Optional[int] = None
    actions_rss: Optional[int] = None
    c1: Optional[Summary] = None
    c20: Optional[Summary] = None
    long_first_ms: Optional[float] = None  # mean latency of turns 1-10
    long_last_ms: Optional[float] = None  # mean latency of turns 41-50
    load_before: Optional[float] = None  # 1-minute load average before the load tests
    load_after: Optional[float] = None  # ... and after them
