-- What the extension owns (pg_regress creates it: --load-extension=hccraf in the Makefile, so
-- that every file of sql/ also runs on its own).
SELECT extname, extversion FROM pg_extension WHERE extname = 'hccraf';
-- Reference tables, user tables and sequences registered for pg_dump.
SELECT c.relname
FROM pg_extension e, unnest(e.extconfig) AS cfg(oid)
JOIN pg_class c ON c.oid = cfg.oid
WHERE e.extname = 'hccraf'
ORDER BY 1;
