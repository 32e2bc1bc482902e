-- Fleet dispatch (issue 17): a re-plan's accepted revision sends only what changed. An assignment equal to the one
-- in force (same machine, operator and destination) is not sent again: dispatch_of names the assignment whose
-- command the machine already has, and the dispatch state is read from that row (its answer, or its timeout, is
-- theirs together). destination is what the command told the machine (site, coordinates, start, end, operator),
-- kept to see whether the request changed since. The partial index serves the sweep for unanswered dispatches.
ALTER TABLE fleet_plan_assignments ADD COLUMN dispatch_of INTEGER;
ALTER TABLE fleet_plan_assignments ADD COLUMN destination TEXT;
CREATE INDEX fleet_plan_assignments_awaiting ON fleet_plan_assignments (dispatched_at) WHERE dispatch_status = 'sent';
