-- GAPS overdue (by priority, provider, area; every organisation) as plain SQL on the base tables.
SELECT r.priority, po.name, coalesce(c.current_area, 'unknown'), count(*), (sum(r.record_key) % 4294967296)::bigint,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM now() - r.due_at)) / 3600,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM now() - r.due_at)) / 3600
FROM referrals r
JOIN cases c ON c.id = r.case_id
JOIN needs n ON n.id = r.need_id
JOIN need_codes nc ON nc.code = n.code
JOIN human_security_dimensions h ON h.code = nc.dimension
JOIN providers p ON p.id = r.provider_id
JOIN organisations po ON po.id = p.organisation_id
WHERE r.status = 'pending' AND r.due_at < now()
GROUP BY 1, 2, 3;
