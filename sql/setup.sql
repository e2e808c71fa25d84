-- Creates the extension (loads every shipped release) and checks what it owns.
CREATE EXTENSION hccraf;
SELECT extname, extversion FROM pg_extension WHERE extname = 'hccraf';
-- Reference tables, user tables and sequences registered for pg_dump.
SELECT c.relname
FROM pg_extension e, unnest(e.extconfig) AS cfg(oid)
JOIN pg_class c ON c.oid = cfg.oid
WHERE e.extname = 'hccraf'
ORDER BY 1;
