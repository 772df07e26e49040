-- The service center's counters keyed by their grain before their span: the
-- rows of months ("m", span YYYY-MM) and of days ("d", span YYYY-MM-DD) of a
-- unit no longer interleave, so a report over months reads month rows only
-- and the days at either end read day rows only.

CREATE TABLE dossier_counts_by_grain (
    province_id BIGINT NOT NULL REFERENCES provinces(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    grain TEXT NOT NULL,
    span TEXT NOT NULL,
    field TEXT NOT NULL,
    level TEXT NOT NULL,
    metric TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (province_id, unit_id, grain, span, field, level, metric)
);

INSERT INTO dossier_counts_by_grain (province_id, unit_id, grain, span, field, level, metric, n)
SELECT province_id, unit_id, CASE WHEN LENGTH(span) = 7 THEN 'm' ELSE 'd' END, span, field,
       level, metric, n
FROM dossier_counts
ORDER BY province_id, unit_id, LENGTH(span), span, field, level, metric;

DROP TABLE dossier_counts;
ALTER TABLE dossier_counts_by_grain RENAME TO dossier_counts;

-- The open dossiers' counter ("open": +1 at a receipt, -1 when processed or ended) for
-- counters written before it existed: in each span, what was received less what was
-- processed, refused, withdrawn or stopped (every refusal then came after a receipt).
-- Results handed over ("returned") are counted from this version on.
INSERT INTO dossier_counts (province_id, unit_id, grain, span, field, level, metric, n)
SELECT province_id, unit_id, grain, span, field, level, 'open',
       SUM(CASE WHEN metric = 'received' THEN n ELSE -n END)
FROM dossier_counts
WHERE metric IN ('received', 'early', 'on_time', 'late', 'refused', 'withdrawn', 'stopped')
  AND NOT EXISTS (SELECT 1 FROM dossier_counts o WHERE o.metric = 'open')
GROUP BY province_id, unit_id, grain, span, field, level
HAVING SUM(CASE WHEN metric = 'received' THEN n ELSE -n END) <> 0;
