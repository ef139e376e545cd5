"""`make chat`: talk to the assistant in the terminal, over its REST channel.

Uses a server already running on RASA_PORT, or starts one (`python -m bot.serve --no-web`) for the session.
Buttons are numbered; type the number to choose one. Ctrl-D or «/avslutt» ends the chat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

QUIT = {"/avslutt", "/quit"}


def post(url: str, sender: str, text: str, timeout: float = 30.0) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def server_up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/webhooks/rest/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def show(replies: list[dict]) -> list[dict]:
    buttons: list[dict] = []
    for reply in replies:
        if reply.get("text"):
            print(f"\nAssistenten: {reply['text']}")
        for button in reply.get("buttons") or []:
            buttons.append(button)
            print(f"  [{len(buttons)}] {button['title']}")
    return buttons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.chat", description=__doc__)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    base = f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
    server = None
    if not server_up(base):
        command = [sys.executable, "-m", "bot.serve", "--no-web"] + (["--model", args.model] if args.model else [])
        print("Starter assistenten … (det tar under ett minutt)")
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while not server_up(base):
            if server.poll() is not None or time.monotonic() > deadline:
                print("Assistenten startet ikke. Prøv `make run` for å se feilmeldingene.", file=sys.stderr)
                return 1
            time.sleep(1)
    sender, buttons = uuid.uuid4().hex, []
    print("Skriv til assistenten. Velg en knapp med tallet. «/avslutt» eller Ctrl-D avslutter.")
    try:
        while True:
            try:
                text = input("\nDu: ").strip()
            except EOFError:
                break
            if text in QUIT:
                break
            if text.isdigit() and 0 < int(text) <= len(buttons):
                text = buttons[int(text) - 1]["payload"]
            buttons = show(post(f"{base}/webhooks/rest/webhook", sender, text))
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print("\nHa det godt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
