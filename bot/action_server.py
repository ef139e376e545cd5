"""Start the action server as `python -m rasa_sdk` does, with a listen backlog sized for production load.

rasa_sdk starts Sanic with its default backlog of 100 unaccepted connections. Rasa opens a new connection for
every action call, so with a few hundred conversations in flight one action server can have more than 100
waiting while it works through a burst: the kernel then drops new connections (TcpExtListenOverflows), and nginx
logs "upstream timed out while connecting" although the server is only busy. The backlog is read from
SANIC_BACKLOG, the variable `rasa run` reads for the same purpose, so both servers queue alike.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager

DEFAULT_BACKLOG = 100  # Sanic's and Rasa's default when SANIC_BACKLOG is unset


def backlog(environ: Mapping[str, str] = os.environ) -> int:
    """The listen backlog from SANIC_BACKLOG (a positive whole number), else Sanic's default."""
    raw = environ.get("SANIC_BACKLOG", "").strip()
    if not raw:
        return DEFAULT_BACKLOG
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"SANIC_BACKLOG={raw!r} er ikke et positivt heltall / is not a positive whole number")
    return int(raw)


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

    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers(), backlog=backlog())


if __name__ == "__main__":
    main()
