"""Date, timestamp and money formatting and the small random helpers every source uses."""

from __future__ import annotations

import argparse
import datetime as dt
import random

# Offsets some CS-side timestamps carry: (hours, minutes); a negative hour negates the minutes.
UTC_OFFSETS = ((2, 0), (1, 0), (5, 30), (-5, 0), (-8, 0), (9, 0))


def parse_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def fmt_ts(value: dt.datetime) -> str:
    """A naive ISO timestamp to the second."""
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def fmt_cs_ts(rng: random.Random, value: dt.datetime) -> str:
    """A CS-side timestamp: ~10% carry an explicit UTC offset (the same instant, local time)."""
    if rng.random() < 0.10:
        hours, minutes = rng.choice(UTC_OFFSETS)
        delta = dt.timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)
        sign = "+" if hours >= 0 else "-"
        return f"{fmt_ts(value + delta)}{sign}{abs(hours):02d}:{minutes:02d}"
    return fmt_ts(value)


def fmt_money(value: float) -> str:
    """An amount rounded to cents, without decimals when it is whole."""
    value = round(value, 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}"


def month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after the day's month."""
    total = day.year * 12 + (day.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from the one of ``first`` to the one of ``last``."""
    out = []
    current = month_start(first)
    while current <= last:
        out.append(current)
        current = add_months(current, 1)
    return out


def weighted_pool(weights: dict[str, float]) -> list[str]:
    """Each name repeated by its rounded weight (at least once): a uniform pick is weighted."""
    pool: list[str] = []
    for name, weight in weights.items():
        pool.extend([name] * max(1, int(round(weight))))
    return pool


def day_time(rng: random.Random, day: dt.date, first_hour: int = 8, last_hour: int = 16) -> dt.datetime:
    """A random second of the day between the two hours."""
    seconds = rng.randrange(first_hour * 3600, last_hour * 3600)
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A random day from ``first`` to ``last``, both included."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))
