-- GAPS coverage (area, service; every organisation) as plain SQL on the base tables.
WITH demand AS (
    SELECT coalesce(c.current_area, 'unknown') AS d0, stn.service AS d1, count(*) AS needs, (sum(n.record_key) % 4294967296)::bigint AS key
    FROM needs n
    JOIN cases c ON c.id = n.case_id
    JOIN need_codes nc ON nc.code = n.code
    JOIN human_security_dimensions h ON h.code = nc.dimension
    JOIN service_type_needs stn ON stn.need = coalesce(nc.parent, nc.code)
    WHERE n.status = 'open' AND c.current_area IS NOT NULL
    GROUP BY 1, 2
), supply AS (
    SELECT pa.area, ps.service, count(*) AS providers, sum(p.capacity) AS capacity, bool_and(p.capacity IS NOT NULL) AS stated
    FROM providers p JOIN provider_areas pa ON pa.provider_id = p.id JOIN provider_services ps ON ps.provider_id = p.id
    WHERE p.status = 'active' GROUP BY pa.area, ps.service)
SELECT d.*, coalesce(s.providers, 0), CASE WHEN s.stated THEN s.capacity END
FROM demand d LEFT JOIN supply s ON s.area = d.d0 AND s.service = d.d1;
