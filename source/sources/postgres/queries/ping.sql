-- Reachability: the round trip of the smallest query there is.
SELECT 1
