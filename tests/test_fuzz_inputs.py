"""Hostile input to every route: NUL and control characters, bidi overrides, huge and negative
numbers, 10 000-character strings, `../`, deep JSON. Nothing may answer 500 (or raise)."""

import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from tests.factories import Auth, boundary
from tests.test_access import World, world  # noqa: F401  (world is a fixture)
from tracker.data.services import Entry, save_observation

HUGE = "999999999999999999999"
TEXT_VALUES = ["ethek\x00wini", "a\x01b\x1b[0m\x7f", "\u202e05 \u2066x", "x" * 10_000,
               "../../etc/passwd", "Ωμέγα-東京-🚀", "²", HUGE]
INT_VALUES = ["0", HUGE, "2147483647", "٣"]
# Values every field gets in turn (one request per value, each field shifted by its place, so
# one request mixes them); NUL and other controls get a request of their own, which the
# guard refuses whole.
MIXED = ["\u202e50 Ω🚀", "x" * 10_000, HUGE, "3000000000", "-1", "0", "²", "1e309", "../../x",
         "٣"]
CONTROLS = ["a\x00b", "\x01\x1f\x7f"]
QUERY_NAMES = ["page", "per_page", "from", "to", "year", "quarter", "q", "goal", "target",
               "status", "network", "indicator", "drafts", "retired", "parent", "next",
               "table", "group", "cities", "indicators", "city", "sort", "plan_kind", "bounds",
               "strict", "kind", "format", "trend", "performer", "front_runner", "achiever"]
GENERIC_FIELDS = ["expected_version", "value", "year", "quarter", "reason", "comment",
                  "source", "name", "code", "title", "slug", "q", "city", "breakdown_key",
                  "missing_reason", "warning_note", "follow_up", "action", "parent_id",
                  "position", "target_id", "sdg_indicator_id", "relation", "token", "body",
                  "label", "email", "password", "role", "kind", "format", "element_id",
                  "link_id", "url"]
HOSTILE_CSV = b"code,name\n\x00A,\xff\xfe\n=1+1,\xe2\x80\xae\n"
DEEP = b"[" * 100_000 + b"]" * 100_000
JSON_BODIES: list[bytes] = [
    DEEP,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"observations": [{"indicator": "A-1\\u0000", "year": 2024, "value": "1"}]}',
    b'{"observations": [{"indicator": "A-1", "year": 2024, "comment": "\\ud800"}]}',
    b'{"observations": [{"indicator": 5, "year": "x", "quarter": 1e999, "value": [1], '
    b'"breakdown": "sex", "follow_up": "yes", "expected_version": -1}]}',
    b'{"observations": [{"indicator": "A-1", "year": 99999999999999999999999, '
    b'"value": 1e400, "quarter": -1}]}',
    json.dumps({"observations": [{"indicator": "A-1", "year": 2024, "value": "9" * 5000}]})
    .encode(),
    b"[1, 2, 3]",
    b'"\\u0000"',
    b"not json at all {",
]


class FieldNames(HTMLParser):
    """Collect the names of a page's form fields, and which of them take files."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.files: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("name"):
            (self.files if found.get("type") == "file" else self.names).add(str(found["name"]))


@pytest.fixture
def fuzz_world(world: World, app: Flask, db: Session, make_plan, make_element,  # noqa: F811
               make_indicator) -> World:  # type: ignore[no-untyped-def]
    """City A gets a plan with an element, and an indicator with a value."""
    plan = make_plan(world.cities["a"])
    element = make_element(plan, "1")
    indicator = make_indicator(world.cities["a"], "A-1",
                               dimensions=[{"name": "sex", "values": ["female", "male"]}])
    with boundary(app, db):
        cell = save_observation(session=db, indicator=indicator, user_id=None,
                                expected_version=None,
                                entry=Entry(year=2023, value=Decimal("1.5")))
    world.ids.update(plan=plan.id, element=element.id, obs=cell.id)
    return world


def mixed(names: Iterable[str], turn: int) -> dict[str, str]:
    """Give each name a hostile value: the `turn`-th request gives name i MIXED[i + turn]."""
    return {name: MIXED[(i + turn) % len(MIXED)] for i, name in enumerate(sorted(names))}


def code_for(rule: str) -> str:
    """A code that exists, for the rule's kind of code."""
    if rule.startswith("/cities/"):
        return "A-1"
    for prefix, code in (("/sdg/goals/", "11"), ("/sdg/targets/", "11.6")):
        if rule.startswith(prefix):
            return code
    return "11.6.2"


def valid_args(rule: Rule, world: World) -> dict[str, str]:  # noqa: F811
    """Values for the rule's path parts that name real records where the world has them."""
    ids = world.ids
    known = {"slug": "net-a" if rule.rule.startswith("/networks") else "city-a",
             "city_slug": "city-a", "plan_id": ids["plan"], "element_id": ids["element"],
             "obs_id": ids["obs"], "year": 2023, "quarter": 1, "number": 11,
             "user_id": world.users["officer_b"].id, "code": code_for(rule.rule),
             "filename": "css/app.css"}
    args = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            args[name] = sorted(converter.items)[0]
        else:
            args[name] = str(known.get(name, 1))
    return args


def build(rule: Rule, args: dict[str, str]) -> str:
    """Fill the rule's placeholders with the (percent-encoded) values."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(args[m.group(1)], safe=""),
                  rule.rule)


class Fuzzer:
    """Send requests as one role and collect every 500 (or exception raised through)."""

    def __init__(self, client: FlaskClient, db: Session, turn: int, depth: int) -> None:
        self.client, self.db, self.turn, self.depth = client, db, turn, depth
        self.failures: dict[str, str] = {}  # one example per route and error
        self.sent = 0
        self.statuses: Counter[int] = Counter()
        self.form_fields: dict[str, tuple[set[str], set[str]]] = {}

    def pick(self, values: list[Any], n: int) -> list[Any]:
        """Take n of the values, different ones for each route and role: across the routes
        every value is sent many times, for a fraction of the requests of every combination."""
        self.turn += 1
        return [values[(self.turn * n + i) % len(values)] for i in range(min(n, len(values)))]

    def send(self, rule: Rule, method: str, url: str, expect: int | None = None,
             **kwargs: Any) -> Any:
        """Send one request; note a 500, an exception, or another status than `expect`."""
        self.sent += 1
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as error:  # noqa: BLE001  (any exception is a failure to report)
            self.db.rollback()
            problem = f"raised {type(error).__name__}: {str(error)[:200]}"
        else:
            self.statuses[response.status_code] += 1
            if response.status_code < 500 and expect in (None, response.status_code):
                return response
            problem = f"answered {response.status_code}, not {expect or 'below 500'}"
        key = f"{method} {rule.rule} {problem}"
        self.failures.setdefault(key, f"{key}\n    e.g. {url[:150]!r} {repr(kwargs)[:200]}")
        return None

    def hostile_paths(self, rule: Rule, args: dict[str, str], n: int
                      ) -> Iterator[tuple[str, int | None]]:
        """The rule's address with each path part in turn replaced by n hostile values, and
        the status the guard must answer (400 for a control character, 404 for a number
        beyond INTEGER)."""
        for name, converter in rule._converters.items():
            pool = INT_VALUES if isinstance(converter, IntegerConverter) else TEXT_VALUES
            for value in self.pick(pool, n):
                expect = {HUGE: 404} if pool is INT_VALUES else {TEXT_VALUES[0]: 400,
                                                                 TEXT_VALUES[1]: 400}
                yield build(rule, {**args, name: value}), expect.get(value)

    def get_rule(self, rule: Rule, world: World, paths: bool) -> None:  # noqa: F811
        """GET the rule with hostile path parts and hostile query strings."""
        args = valid_args(rule, world)
        for url, status in self.hostile_paths(rule, args, 1) if paths else ():
            self.send(rule, "GET", url, expect=status)
        url = build(rule, args)
        response = self.send(rule, "GET", url)
        if refused(response):
            turns: Iterable[int] = ()
        else:
            turns = self.pick(list(range(len(MIXED))),
                              self.depth * (2 if rule.rule.startswith("/api/") else 1))
        if response is not None and response.mimetype == "text/html":
            parser = FieldNames()
            parser.feed(response.get_data(as_text=True))
            self.form_fields[rule.rule] = (parser.names, parser.files)
        controls = dict.fromkeys(QUERY_NAMES, self.pick(CONTROLS, 1)[0])
        self.send(rule, "GET", url, expect=400, query_string=controls)
        for turn in turns:
            self.send(rule, "GET", url, query_string=mixed(QUERY_NAMES, turn))

    def post_rule(self, rule: Rule, world: World, paths: bool) -> None:  # noqa: F811
        """POST hostile forms (with a hostile file where the page takes one) and JSON bodies;
        once the role is refused, further bodies would meet the same refusal."""
        args = valid_args(rule, world)
        url = build(rule, args)
        names, files = self.form_fields.get(rule.rule, (set(GENERIC_FIELDS), set()))
        names = set(names) | {"expected_version"}
        controls = dict.fromkeys(names, self.pick(CONTROLS, 1)[0])
        self.send(rule, "POST", url, expect=422, data=controls)
        for turn in self.pick(list(range(len(MIXED))), 2 * self.depth):
            data = mixed(names, turn)
            uploads = {name: (io.BytesIO(HOSTILE_CSV), f"{data['expected_version'][:50]}.csv")
                       for name in files}
            if refused(self.send(rule, "POST", url, data={**data, **uploads})):
                break
        api = rule.rule.startswith("/api/")
        for body in JSON_BODIES if api else self.pick(JSON_BODIES, 1):
            self.send(rule, "POST", url, expect=None if api else 415, data=body,
                      content_type="application/json")
        for hostile, status in self.hostile_paths(rule, args, 1) if paths else ():
            # Werkzeug checks a rule's methods before its converters: a number beyond INTEGER
            # in a POST address that a GET-only rule shares answers 405, never reaching a view.
            method_status = 405 if status == 404 and self.only_get_shares(rule, hostile) else status
            self.send(rule, "POST", hostile, expect=method_status, data={"name": "x"})

    def only_get_shares(self, rule: Rule, url: str) -> bool:
        """Does the router refuse the POST for its method (another rule's address matched)?"""
        try:
            rule.map.bind("localhost").match(url.split("?", 1)[0], method="POST")
        except MethodNotAllowed:
            return True
        except HTTPException:
            return False
        return False


def refused(response: Any) -> bool:
    """Was the role turned away (sent to sign in, or 403) before its input was read?"""
    return response is not None and (response.status_code == 403 or (
        response.status_code == 302 and "/login" in response.headers.get("Location", "")))


ROLES = ["anonymous", "admin", "officer_a"]


def fuzz_role(role: str, app: Flask, client: FlaskClient, db: Session, world: World,  # noqa: F811
              auth: Auth) -> Fuzzer:
    """Send every route hostile input as the role (signed in again after the routes that may
    sign it out)."""
    # The admin reaches every route: it gets twice the hostile values of the other roles.
    fuzzer = Fuzzer(client, db, turn=ROLES.index(role), depth=2 if role == "admin" else 1)
    login = (lambda: None) if role == "anonymous" else (lambda: auth.login(world.users[role]))
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: r.rule)
    login()
    for rule in rules:
        if "GET" in (rule.methods or ()):
            fuzzer.get_rule(rule, world, paths=role != "officer_a")
    for rule in rules:
        if "POST" in (rule.methods or ()):
            fuzzer.post_rule(rule, world, paths=role == "admin")
            if rule.endpoint.startswith(("auth.", "users.")):
                login()
    return fuzzer


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_500_to_hostile_input(role: str, app: Flask, client: FlaskClient,
                                              db: Session, fuzz_world: World,
                                              auth: Auth) -> None:
    fuzzer = fuzz_role(role, app, client, db, fuzz_world, auth)
    assert fuzzer.sent > 500
    # The fuzz reached the views: pages and refused forms, not only the guard's refusals.
    assert {200, 400, 404, 422} <= set(fuzzer.statuses), fuzzer.statuses
    assert not fuzzer.failures, "\n".join(fuzzer.failures.values())


# ---------------------------------------------------------------- OpenAPI-driven properties

HOSTILE_TEXT = st.sampled_from(["\x00", "a\x00b", "\u202e05", "x" * 3000, "../..", HUGE, "-1",
                                "²", "٣", "1e999", "NaN", ""]) | st.text(max_size=20)
HOSTILE_JSON = st.sampled_from([None, -1, 0, 10**30, -(10**30), 1e308, True, [], {}, "\x00",
                                "\ud800", "x" * 3000, [[[[]]]]])


def resolve_ref(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def scalar(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of a scalar schema, out of range as often as within it."""
    kinds = schema.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "integer" in kinds:
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum")) \
            | st.integers()
    if "number" in kinds:
        return st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str) \
            | st.floats(allow_nan=False, allow_infinity=False)
    if "boolean" in kinds:
        return st.booleans()
    return st.text(max_size=30)


def from_schema(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0
                ) -> st.SearchStrategy[Any]:
    """JSON values for a schema (objects, arrays, oneOf, scalars), with wrong types mixed in."""
    schema = resolve_ref(schema, spec)
    if "oneOf" in schema:
        typed = st.one_of([from_schema(s, spec, depth) for s in schema["oneOf"]])
    elif schema.get("type") == "object" and depth < 4:
        properties = {name: from_schema(s, spec, depth + 1)
                      for name, s in schema.get("properties", {}).items()}
        if "indicator" in properties:  # city A's real indicator, to reach the saving rules
            properties["indicator"] = st.sampled_from(["A-1", "a-1"]) | properties["indicator"]
        required = set(schema.get("required", []))
        typed = st.fixed_dictionaries(
            {k: v for k, v in properties.items() if k in required},
            optional={k: v for k, v in properties.items() if k not in required})
    elif schema.get("type") == "array" and depth < 4:
        typed = st.lists(from_schema(schema.get("items", {}), spec, depth + 1), max_size=3)
    else:
        typed = scalar(schema)
    return typed | HOSTILE_JSON if depth else typed


def path_value(name: str, schema: dict[str, Any], world: World) -> st.SearchStrategy[str]:  # noqa: F811
    """Mostly a real record's name (to reach the handler), sometimes anything."""
    real = {"slug": ["city-a", "city-u", "city-b", "nowhere"], "code": ["11.6.2", "A-1"],
            "obs_id": [str(world.ids["obs"])]}.get(name, [])
    typed = scalar(resolve_ref(schema, {})).map(str)
    if not real:
        return typed | HOSTILE_TEXT
    return st.one_of(st.sampled_from(real), st.sampled_from(real), typed | HOSTILE_TEXT)


def api_request(spec: dict[str, Any], world: World) -> st.SearchStrategy[dict[str, Any]]:  # noqa: F811
    """A request to one operation of the document: path, query and (for POST) body."""
    base = spec["servers"][0]["url"]
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items()
                  for _weight in range(4 if method == "post" else 1)]  # bodies: more examples

    def for_operation(found: tuple[str, str, dict[str, Any]]) -> st.SearchStrategy[Any]:
        path, method, op = found
        params = op.get("parameters", [])
        in_path = {p["name"]: path_value(p["name"], p["schema"], world)
                   for p in params if p["in"] == "path"}
        query = {p["name"]: scalar(p["schema"]).map(str) | HOSTILE_TEXT
                 for p in params if p["in"] == "query"}
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        typed = from_schema(schema["schema"], spec) if schema else st.none()
        body = st.one_of(typed, typed, HOSTILE_JSON) if schema else typed
        return st.fixed_dictionaries({
            "method": st.just(method.upper()),
            "path": st.fixed_dictionaries(in_path).map(lambda values: base + re.sub(
                r"\{(\w+)\}", lambda m: quote(values[m.group(1)], safe=""), path)),
            "query_string": st.fixed_dictionaries({}, optional=query),
            "data": body.map(lambda b: None if b is None else json.dumps(b)),
        })

    return st.sampled_from(operations).flatmap(for_operation)


@pytest.mark.parametrize("role", ["anonymous", "officer_a"])
def test_openapi_operations_never_answer_500(role: str, client: FlaskClient, db: Session,
                                            fuzz_world: World, auth: Auth) -> None:
    if role != "anonymous":
        auth.login(fuzz_world.users[role])
    spec = client.get("/api/v1/openapi.json").json
    seen: Counter[int] = Counter()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(api_request(spec, fuzz_world))
    def check(request: dict[str, Any]) -> None:
        try:
            response = client.open(content_type="application/json", **request)
        except Exception:
            db.rollback()
            raise
        seen[response.status_code] += 1
        assert response.status_code < 500, (request, response.get_data(as_text=True)[:300])
        if not 300 <= response.status_code < 400:  # a routing redirect (`//`) is not the API's
            assert response.mimetype == "application/json", (request, response.status_code)

    check()
    assert {200, 400} <= set(seen), seen  # the examples reached the handlers, not only refusals
