"""The office's settings (operators/settings.yml, or the file SSCARD_OPERATORS_FILE names)."""

import os
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import List, Optional

import pytz
import yaml
from pydantic import BaseModel, Extra, validator

SETTINGS_FILE = Path(__file__).with_name("settings.yml")
SETTINGS_VARIABLE = "SSCARD_OPERATORS_FILE"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OfficeHours(BaseModel, extra=Extra.forbid):
    """When staff answer chats: weekdays, opening and closing time, days off."""

    timezone: str = "Asia/Shanghai"
    days: List[str] = list(WEEKDAYS[:5])
    open: str = "09:00"
    close: str = "17:00"
    closed_on: List[date] = []

    @validator("timezone")
    def known_timezone(cls, value: str) -> str:
        # pytz carries its own zone data: images need no system tzdata.
        try:
            pytz.timezone(value)
        except pytz.UnknownTimeZoneError:
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @validator("days", each_item=True)
    def known_day(cls, value: str) -> str:
        if value not in WEEKDAYS:
            raise ValueError(f"must be one of {WEEKDAYS}")
        return value

    @validator("open", "close")
    def clock_time(cls, value: str) -> str:
        if value != "24:00":
            time.fromisoformat(value)
        return value

    def is_open(self, now: datetime) -> bool:
        """Whether staff answer chats at `now` (an aware datetime, any zone)."""
        local = now.astimezone(pytz.timezone(self.timezone))
        if WEEKDAYS[local.weekday()] not in self.days or local.date() in self.closed_on:
            return False
        return self.open <= local.strftime("%H:%M") < self.close


class OperatorSettings(BaseModel, extra=Extra.forbid):
    office_hours: OfficeHours = OfficeHours()
    on_duty_timeout_seconds: float = 90
    retention_days: int = 180

    @validator("retention_days")
    def positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value


def read_settings(path: Optional[Path] = None) -> OperatorSettings:
    """The settings in `path`, or in the file SSCARD_OPERATORS_FILE names, or the packaged ones."""
    path = Path(path or os.environ.get(SETTINGS_VARIABLE) or SETTINGS_FILE)
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return OperatorSettings.parse_obj(raw)


@lru_cache(maxsize=1)
def settings() -> OperatorSettings:
    """The settings, read once per process."""
    return read_settings()
