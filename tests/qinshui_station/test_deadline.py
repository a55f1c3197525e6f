"""The days-left badge shown beside filing, publicity and evaluation windows."""

from datetime import timedelta

from django.template import Context, Template
from django.utils import timezone

TODAY = timezone.localdate()


def render(opens, closes) -> str:
    return Template("{% load portal %}{% deadline opens closes %}").render(
        Context({"opens": opens, "closes": closes})).strip()


def test_an_open_window_shows_the_days_left():
    html = render(TODAY - timedelta(days=3), TODAY + timedelta(days=5))
    assert 'data-days-left="5"' in html and "还剩5天" in html and "text-bg-warning" in html


def test_the_last_three_days_are_red_and_the_last_day_says_today():
    assert "text-bg-danger" in render(TODAY, TODAY + timedelta(days=3))
    assert "今天截止" in render(TODAY - timedelta(days=1), TODAY)


def test_a_window_not_yet_open_and_a_closed_one():
    assert "7天后开始" in render(TODAY + timedelta(days=7), TODAY + timedelta(days=30))
    assert "已截止" in render(TODAY - timedelta(days=30), TODAY - timedelta(days=1))
    assert render(None, None) == ""
