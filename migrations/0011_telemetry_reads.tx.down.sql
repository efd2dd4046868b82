DROP INDEX spans_roots_idx;
