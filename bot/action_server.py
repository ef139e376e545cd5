"""Start the action server as `python -m rasa_sdk` does, with a listen backlog sized for production load, and an
error answer that carries no conversation.

rasa_sdk starts Sanic with its default backlog of 100 unaccepted connections. Rasa opens a new connection for
every action call, so with a few hundred conversations in flight one action server can have more than 100
waiting while it works through a burst: the kernel then drops new connections (TcpExtListenOverflows), and nginx
logs "upstream timed out while connecting" although the server is only busy. The backlog is read from
SANIC_BACKLOG, the variable `rasa run` reads for the same purpose, so both servers queue alike.

When an action raises, rasa_sdk answers 500 with the whole request echoed back (`request_body`: the tracker, with
the user's messages), and Rasa logs that answer at ERROR level; the exception's own text can hold message text
or SQL parameters too. Our handler answers with the exception's type only and logs its type and stack frames.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

DEFAULT_BACKLOG = 100  # Sanic's and Rasa's default when SANIC_BACKLOG is unset


def backlog(environ: Mapping[str, str] = os.environ) -> int:
    """The listen backlog from SANIC_BACKLOG (a positive whole number), else Sanic's default."""
    raw = environ.get("SANIC_BACKLOG", "").strip()
    if not raw:
        return DEFAULT_BACKLOG
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"SANIC_BACKLOG={raw!r} er ikke et positivt heltall / is not a positive whole number")
    return int(raw)


async def answer_without_conversation(request: Request, exception: Exception) -> HTTPResponse:
    """Sanic's own errors (404, 405, …) keep their status; anything else is a 500 naming only the exception's type."""
    status = exception.status_code if isinstance(exception, SanicException) else 500
    if status >= 500:
        frames = "".join(traceback.format_tb(exception.__traceback__))
        logger.error("%s in %s %s (message not logged):\n%s", type(exception).__name__, request.method,
                     request.path, frames)  # fmt: skip
    return response.json({"error": type(exception).__name__}, status=status)


def create_private_app(actions: Any, **kwargs: Any) -> Sanic:
    """rasa_sdk's app with our error answer in place of its own (registered later, so it replaces it)."""
    app = create_app(actions, **kwargs)
    app.exception(Exception)(answer_without_conversation)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parse rasa_sdk's own arguments and serve the actions package."""
    args = create_argument_parser().parse_args(argv)
    # The same set-up as rasa_sdk.__main__.main_from_args.
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()

    app = create_private_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers(), backlog=backlog())


if __name__ == "__main__":
    main()
