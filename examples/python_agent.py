#!/usr/bin/env python3
"""A minimal tool-using agent on ProviderSidecar, in Python.

It asks for the weather, streams the answer as it arrives, runs the tool the model calls, sends the
result back, and prints the usage of every turn. Offline, against the simulated provider:

    provider-sidecar serve --config examples/sim-config.json &
    PYTHONPATH=clients/python python3 examples/python_agent.py
"""

import argparse
import json
import sys

from provider_sidecar import Client, SidecarError, tool_result

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


def get_weather(city: str = "Paris", **_: object) -> dict:
    """The agent's own tool; a real agent would call a weather service here."""
    return {"city": city, "temperature_c": 18, "sky": "clear"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", help="sidecar socket (default: PROVIDER_SIDECAR_SOCKET or the standard path)")
    parser.add_argument("--model", help="model or alias (default: the agent's failover chain)")
    parser.add_argument("--agent", help="agent name, on sockets not bound to one")
    parser.add_argument("prompt", nargs="?", default="What is the weather in Paris?")
    args = parser.parse_args()

    messages = [{"role": "user", "content": args.prompt}]
    try:
        with Client(args.socket) as client:
            for turn in range(1, 5):
                stream = client.complete(messages, model=args.model, agent=args.agent, tools=[WEATHER_TOOL])
                for chunk in stream:
                    if chunk.type == "text":
                        print(chunk.text, end="", flush=True)
                    elif chunk.type == "tool_use":
                        print("\n[calling %s]" % chunk.name, flush=True)
                print()
                result = stream.result
                u = result.usage
                print("[turn %d: %s/%s, %d in + %d out tokens, cost %s]" % (
                    turn, result.provider, result.model, u.input_tokens, u.output_tokens,
                    "n/a" if u.cost_usd is None else "$%.6f" % u.cost_usd), file=sys.stderr)
                if not result.tool_calls:
                    return 0
                messages.append(result.assistant_message())
                for call in result.tool_calls:
                    if call.incomplete:  # arguments cut off by max_tokens: never run it
                        output = {"error": "incomplete arguments"}
                    elif call.name == "get_weather":
                        output = get_weather(**(call.input or {}))
                    else:
                        output = {"error": "unknown tool"}
                    print("[%s(%s) -> %s]" % (call.name, json.dumps(call.input), json.dumps(output)), file=sys.stderr)
                    messages.append(tool_result(call.id, output))
    except SidecarError as err:
        print("error: %s (retryable: %s)" % (err, err.retryable), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
