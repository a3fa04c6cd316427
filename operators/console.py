"""The agent console's hand-over: a queue and agents on duty in the tracker store's database.

Agents log in to the console page (channels/agent_console.py), say they are on duty,
see the conversations waiting with their history, take one, reply and hand it back.
Being on duty lasts while the console keeps polling (`on_duty_timeout_seconds`): an
agent who closes the page is off duty a minute later, and nobody is queued to them.
When nobody is on duty any more, conversations still handed over are given back to the
bot with a notice naming 12333 (`sweep`), so nobody waits for a person who is not there.
Several Rasa instances can serve one console: all state is in the database.
"""

import logging
import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from operators import store
from operators.bridge import ConversationBridge, NotHandedOver
from operators.handover import (
    CLOSED,
    NOBODY,
    OPEN,
    UNREACHABLE,
    Availability,
)
from operators.settings import OperatorSettings, settings

logger = logging.getLogger(__name__)

# Channels whose users can leave a message for the office (the widget's form, the REST
# webhooks' /contact): outside office hours they are told so.
LEAVE_MESSAGE_CHANNELS = ("socketio", "rest", "callback")
# How long an availability answer is reused: it is asked for every message.
AVAILABILITY_SECONDS = 2.0


class ConsoleHandover:
    """The `Handover` of the agent console."""

    def __init__(self, operator_settings: Optional[OperatorSettings] = None) -> None:
        self.settings = operator_settings or settings()
        self.bridge: Optional[ConversationBridge] = None
        self.engine: Optional[sa.engine.Engine] = None
        self._cached: Optional[tuple] = None  # (until, agents on duty, waiting)

    # ---- Handover ----

    def attach(self, bridge: ConversationBridge) -> None:
        self.bridge = bridge
        self.engine = store.engine_of(bridge.agent.tracker_store)

    def availability(self, channel: Optional[str]) -> Availability:
        hours = self.settings.office_hours
        leave = channel in LEAVE_MESSAGE_CHANNELS

        def said(status: str, waiting: int = 0) -> Availability:
            return Availability(
                status, waiting, list(hours.days), hours.open, hours.close, leave_message=leave
            )

        if self.bridge is None or not self.bridge.reachable(channel):
            return said(UNREACHABLE)
        if not hours.is_open(datetime.now(timezone.utc)):
            return said(CLOSED)
        on_duty, waiting = self._counts()
        if not on_duty:
            return said(NOBODY)
        return said(OPEN, waiting)

    async def requested(self, tracker: Any) -> None:
        engine = self._engine()
        now = store.now()
        row = {
            "sender_id": tracker.sender_id,
            "channel": tracker.get_latest_input_channel(),
            "language": tracker.get_slot("language"),
            "topic": tracker.get_slot("topic"),
            "region": region_label(tracker.get_slot("region"), tracker.get_slot("language")),
            "status": "waiting",
            "agent": None,
            "requested_at": now,
            "taken_at": None,
            "last_user_at": now,
        }
        with engine.begin() as connection:
            table = store.handovers
            connection.execute(table.delete().where(table.c.sender_id == tracker.sender_id))
            connection.execute(table.insert(), row)
        self._cached = None

    async def user_wrote(self, tracker: Any) -> None:
        table = store.handovers
        store.execute(
            self._engine(),
            table.update()
            .where(table.c.sender_id == tracker.sender_id)
            .values(last_user_at=store.now()),
        )

    async def ended(self, sender_id: str) -> None:
        table = store.handovers
        store.execute(self._engine(), table.delete().where(table.c.sender_id == sender_id))
        self._cached = None

    # ---- what the console does ----

    def set_on_duty(self, agent: str, on_duty: bool) -> None:
        table = store.agents_on_duty
        with self._engine().begin() as connection:
            connection.execute(table.delete().where(table.c.agent == agent))
            connection.execute(
                table.insert(), {"agent": agent, "on_duty": on_duty, "seen_at": store.now()}
            )
        self._cached = None

    def seen(self, agent: str) -> bool:
        """The agent's console polled: they stay on duty if they were. Whether they are."""
        table = store.agents_on_duty
        with self._engine().begin() as connection:
            connection.execute(
                table.update().where(table.c.agent == agent).values(seen_at=store.now())
            )
            found = connection.execute(
                sa.select(table.c.on_duty).where(table.c.agent == agent)
            ).scalar()
        return bool(found)

    def queue(self) -> List[Dict[str, Any]]:
        table = store.handovers
        return store.rows(self._engine(), sa.select(table).order_by(table.c.requested_at))

    def entry(self, sender_id: str) -> Optional[Dict[str, Any]]:
        table = store.handovers
        found = store.rows(self._engine(), sa.select(table).where(table.c.sender_id == sender_id))
        return found[0] if found else None

    async def take(self, sender_id: str, agent: str) -> None:
        """The agent takes a waiting conversation (or one they hold already)."""
        table = store.handovers
        result = store.execute(
            self._engine(),
            table.update()
            .where(table.c.sender_id == sender_id)
            .where(sa.or_(table.c.status == "waiting", table.c.agent == agent))
            .values(status="taken", agent=agent, taken_at=store.now()),
        )
        if result.rowcount != 1:
            raise NotHandedOver(sender_id)
        await self._bridge().notice(sender_id, "agent_joined", agent=agent)

    async def reply(self, sender_id: str, agent: str, text: str) -> None:
        entry = self.entry(sender_id)
        if entry is None:
            raise NotHandedOver(sender_id)
        if entry["status"] != "taken" or entry["agent"] != agent:
            await self.take(sender_id, agent)
        await self._bridge().say(sender_id, text, agent=agent)

    async def hand_back(self, sender_id: str, agent: str) -> None:
        if self.entry(sender_id) is None:
            raise NotHandedOver(sender_id)
        await self.ended(sender_id)
        await self._bridge().notice(sender_id, "agent_left", agent=agent, resume=True)

    async def sweep(self) -> int:
        """Give back to the bot every handed-over conversation whose agent (or, while it
        waits, every agent) is gone; the number given back."""
        on_duty = set(self._agents_on_duty())
        given_back = 0
        for entry in self.queue():
            if on_duty and (entry["status"] == "waiting" or entry["agent"] in on_duty):
                continue
            table = store.handovers
            # One instance wins the row when several sweep at once.
            result = store.execute(
                self._engine(),
                table.delete()
                .where(table.c.sender_id == entry["sender_id"])
                .where(table.c.requested_at == entry["requested_at"]),
            )
            if result.rowcount != 1:
                continue
            try:
                await self._bridge().notice(entry["sender_id"], "handover_lost", resume=True)
                given_back += 1
            except NotHandedOver:
                pass
        if given_back:
            self._cached = None
        return given_back

    def contact_requests(self, include_done: bool = False) -> List[Dict[str, Any]]:
        table = store.contact_requests
        query = sa.select(table).order_by(table.c.created_at.desc())
        if not include_done:
            query = query.where(table.c.done_at.is_(None))
        return store.rows(self._engine(), query)

    def contact_done(self, request_id: int, agent: str) -> bool:
        table = store.contact_requests
        result = store.execute(
            self._engine(),
            table.update()
            .where(table.c.id == request_id)
            .where(table.c.done_at.is_(None))
            .values(done_at=store.now(), done_by=agent),
        )
        return result.rowcount == 1

    # ---- helpers ----

    def _agents_on_duty(self) -> List[str]:
        table = store.agents_on_duty
        since = store.now() - self.settings.on_duty_timeout_seconds
        query = (
            sa.select(table.c.agent)
            .where(table.c.on_duty.is_(True))
            .where(table.c.seen_at >= since)
        )
        return [row["agent"] for row in store.rows(self._engine(), query)]

    def agents_on_duty(self) -> List[str]:
        return self._agents_on_duty()

    def _counts(self) -> tuple:
        now = time.monotonic()
        if self._cached is None or self._cached[0] < now:
            table = store.handovers
            with self._engine().connect() as connection:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(table).where(table.c.status == "waiting")
                ).scalar()
            self._cached = (now + AVAILABILITY_SECONDS, len(self._agents_on_duty()), count)
        return self._cached[1], self._cached[2]

    def _engine(self) -> sa.engine.Engine:
        if self.engine is None:
            raise RuntimeError("the console is not attached to a running server yet")
        return self.engine

    def _bridge(self) -> ConversationBridge:
        if self.bridge is None:
            raise RuntimeError("the console is not attached to a running server yet")
        return self.bridge


def region_label(code: Optional[str], language: Optional[str]) -> Optional[str]:
    """The remembered region as agents read it: its name (the slot holds its division code)."""
    from knowledge import load_knowledge

    region = load_knowledge().regions.get(code)
    return region.name(language or "zh") if region else code
