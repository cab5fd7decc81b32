-- GAPS unmet (no by=, days=7, every organisation) as plain SQL on the base tables.
SELECT count(*), (coalesce(sum(n.record_key), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE s.referred), (coalesce(sum(n.record_key) FILTER (WHERE s.referred), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE n.status = 'met'), (coalesce(sum(n.record_key) FILTER (WHERE n.status = 'met'), 0) % 4294967296)::bigint,
       count(*) FILTER (WHERE n.status = 'open' AND s.served IS NOT TRUE AND n.identified_at <= now() - interval '7 days'),
       (coalesce(sum(n.record_key) FILTER (WHERE n.status = 'open' AND s.served IS NOT TRUE AND n.identified_at <= now() - interval '7 days'), 0) % 4294967296)::bigint
FROM needs n
JOIN cases c ON c.id = n.case_id
JOIN need_codes nc ON nc.code = n.code
JOIN human_security_dimensions h ON h.code = nc.dimension
LEFT JOIN (SELECT r.need_id, bool_or(r.status IN ('pending', 'accepted', 'completed')) AS referred,
                  bool_or(r.status IN ('pending', 'accepted') OR r.outcome = 'successful') AS served
           FROM referrals r GROUP BY r.need_id) s ON s.need_id = n.id
WHERE n.status <> 'withdrawn';
