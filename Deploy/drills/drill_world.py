"""What the failover and replica drills share: their run on the Patroni cluster of Deploy/ha
(ClusterDrill: the cluster's URLs, the run's directory, key, port, log and id, psql and Patroni's
member list) and their REFER world: one case with many urgent needs and a provider of legal
assistance in CO-ANT, made straight in SQL so that the drill needs no demo data.
The organisation 'drill' (its caseworker added with `passage user add`) must exist."""
import json, os, random, socket, subprocess, tempfile, time, urllib.request


class ClusterDrill:
    """One drill run against the Patroni cluster of Deploy/ha/start.sh, whose directory and base
    port come from HA_DIR and HA_PORT (else the drill's own defaults, so that the two drills'
    clusters do not meet). `name` ('failover', 'replica') names the run's directory in /tmp."""

    def __init__(self, name, default_ha_dir, default_ha_port):
        self.ha_dir = os.environ.get("HA_DIR", default_ha_dir)
        self.ha_port = int(os.environ.get("HA_PORT", str(default_ha_port)))
        hosts = ",".join("127.0.0.1:%d" % (self.ha_port + n) for n in (1, 2, 3))
        # Multi-host: libpq tries the three nodes and keeps the one that takes writes.
        self.url = "postgresql://passage@%s/passage?target_session_attrs=read-write" % hosts
        self.super_url = "postgresql://postgres@%s/passage?target_session_attrs=read-write" % hosts
        self.root = tempfile.mkdtemp(prefix="passage-%s-" % name, dir="/tmp")
        self.key = self.root + "/pii.key"
        self.port = random.randint(20000, 40000)
        self.log = open(self.root + "/drill.log", "ab")
        self.environment = dict(os.environ, PASSAGE_CONFIG="/dev/null")
        self.run_id = "%d" % time.time()

    def write_key(self):
        """A fresh PII key for this run (readable by its owner alone)."""
        subprocess.run(["sh", "-c", "umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \\n' > %s" % self.key],
                       check=True)

    def sql(self, query, target=None):
        """psql as the superuser, on the primary unless `target` names another database URL."""
        return subprocess.run(["psql", target or self.super_url, "-AtqX", "-v", "ON_ERROR_STOP=1"], input=query,
                              capture_output=True, text=True, check=True).stdout.strip()

    def cluster(self):
        """Patroni's view of the members (from any node's REST API that answers)."""
        for n in (1, 2, 3):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/cluster" % (self.ha_port + 10 + n),
                                            timeout=2) as reply:
                    return json.load(reply)["members"]
            except Exception:
                continue
        return []

    def wait_listening(self, server, listen_port):
        """Waits about 60 s for `passage serve` (the Popen `server`) to accept connections on
        `listen_port`; exits the drill if it stopped or never listened (a drill without its
        server would only measure the timeout)."""
        for _ in range(240):
            try:
                socket.create_connection(("127.0.0.1", listen_port), timeout=1).close()
                return
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("passage serve exited: see %s/drill.log" % self.root)
                time.sleep(0.25)
        raise SystemExit("passage serve did not listen: see %s/drill.log" % self.root)


WORLD_SQL = """
    WITH org AS (SELECT id FROM organisations WHERE name = 'drill'),
         porg AS (INSERT INTO organisations (name) VALUES ('drill-provider-%(run)s') RETURNING id),
         prov AS (INSERT INTO providers (organisation_id) SELECT id FROM porg RETURNING id),
         svc AS (INSERT INTO provider_services SELECT id, 'legal_assistance' FROM prov),
         area AS (INSERT INTO provider_areas SELECT id, 'CO-ANT' FROM prov),
         c AS (INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version,
                                  classified_by, primary_category, categories, review)
               SELECT id, '%(drill)s-%(run)s', 'drill', '{"ref":"%(drill)s","age":30,"current_country":"CO"}', '{}',
                      'drill', 'drill', 'unclassified', '{}', false FROM org RETURNING id, organisation_id),
         n AS (INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
               SELECT c.id, c.organisation_id, 'LP', 'urgent', 'drill' FROM c, generate_series(1, %(needs)d) RETURNING id)
    SELECT (SELECT id FROM c), (SELECT id FROM prov), (SELECT min(id) FROM n), (SELECT max(id) FROM n);
"""


def make_world(sql, drill, run_id, needs):
    """Makes the world with `sql` (the drill's psql runner, answering 'a|b|c|d'); `drill` names
    the case reference ('failover', 'replica'). Returns the ids the REFER clients need."""
    case_id, provider_id, first_need, last_need = map(
        int, sql(WORLD_SQL % {"drill": drill, "run": run_id, "needs": needs}).split("|"))
    return {"case": case_id, "provider": provider_id, "first_need": first_need, "last_need": last_need}
