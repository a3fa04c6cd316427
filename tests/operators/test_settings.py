"""Office hours: weekdays, times and days off, in the office's time zone."""

from datetime import date, datetime, timezone

import pytest
from pydantic import ValidationError

from operators.settings import OfficeHours, read_settings

UTC = timezone.utc
# Wednesday 2026-12-02 in Beijing time; 01:00 UTC is 09:00 there.
hours = OfficeHours(days=["mon", "tue", "wed", "thu", "fri"], open="09:00", close="17:00")


@pytest.mark.parametrize(
    "moment, is_open",
    [
        (datetime(2026, 12, 2, 1, 0, tzinfo=UTC), True),  # 09:00 Beijing
        (datetime(2026, 12, 2, 0, 59, tzinfo=UTC), False),  # 08:59
        (datetime(2026, 12, 2, 9, 0, tzinfo=UTC), False),  # 17:00: closed
        (datetime(2026, 12, 5, 3, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 12, 4, 20, 0, tzinfo=UTC), False),  # Friday UTC, Saturday 04:00 Beijing
    ],
)
def test_office_hours_are_read_in_beijing_time(moment, is_open):
    assert hours.is_open(moment) is is_open


def test_a_day_off_is_closed_and_24_00_closes_at_midnight():
    holiday = OfficeHours(closed_on=[date(2026, 12, 2)])
    assert not holiday.is_open(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    always = OfficeHours(days=["sun"], open="00:00", close="24:00")
    assert always.is_open(datetime(2026, 12, 6, 15, 59, tzinfo=UTC))  # Sunday 23:59 Beijing


@pytest.mark.parametrize(
    "field, value", [("timezone", "Mars/Olympus"), ("days", ["someday"]), ("open", "9am")]
)
def test_a_broken_setting_is_refused(field, value):
    with pytest.raises(ValidationError):
        OfficeHours(**{field: value})


def test_the_settings_file_is_read(tmp_path):
    path = tmp_path / "operators.yml"
    path.write_text(
        "retention_days: 30\noffice_hours: {days: [sat], open: '10:00', close: '12:00'}\n"
    )
    settings = read_settings(path)
    assert settings.retention_days == 30 and settings.office_hours.days == ["sat"]
    assert read_settings().retention_days >= 1  # the packaged file
