"""Options shared by the cron commands."""

from __future__ import annotations

from datetime import datetime

import click


class Moment(click.ParamType):
    """An ISO 8601 moment with its offset, e.g. 2027-03-01T09:00+01:00."""

    name = "moment"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if moment.tzinfo is None:
            self.fail("give a time zone offset, e.g. 2027-03-01T09:00+01:00", param, ctx)
        return moment


now_option = click.option(
    "--now", type=Moment(), default=None, help="Pretend it is this moment (ISO 8601 with offset); for testing."
)
