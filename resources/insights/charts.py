"""Small bar charts drawn on the server as SVG: no JavaScript, no inline style (the page's
stylesheet colours them), and the numbers always beside them in a table."""

from dataclasses import dataclass

BAR_WIDTH = 14
GAP = 4
HEIGHT = 60


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: int


@dataclass(frozen=True)
class Chart:
    title: str  # what the chart shows, for its <title> and aria-label with every number
    bars: list
    width: int
    height: int

    @property
    def summary(self):
        return f"{self.title}: " + "; ".join(f"{bar.label}: {bar.value}" for bar in self.bars)


def bar_chart(title, points, *, bar_width=BAR_WIDTH, height=HEIGHT):
    """A chart of `points` ((label, value) in order): one bar each, the tallest filling the
    height; a zero gets a sliver, so a week with nothing still shows where it is."""
    tallest = max((value for _, value in points), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = max(1, round(value / tallest * (height - 1)))
        bars.append(
            Bar(
                x=index * (bar_width + GAP),
                y=height - bar_height,
                width=bar_width,
                height=bar_height,
                label=label,
                value=value,
            )
        )
    width = max(len(points) * (bar_width + GAP) - GAP, 1)
    return Chart(title=title, bars=bars, width=width, height=height)


def sparkline(title, points):
    """A row's small chart: the same bars, narrower and lower."""
    return bar_chart(title, points, bar_width=4, height=20)
