-- The dossiers of a unit's desks are read desk by desk, each over the days its desk was under
-- the unit (the one scope rule: a dossier belongs to the units above its desk on the day it was
-- received), so the index of (desk, received_at) carries every column the list's filters read
-- but the events: a page of the dossiers behind a figure (waiting for papers, overdue, late in a
-- month, refused, of one field or level) is found from the index alone, and only its own rows
-- are read from the table.

DROP INDEX dossiers_desk;
CREATE INDEX dossiers_desk ON dossiers (desk_unit_id, received_at, state, due_at, result_at,
                                        finished_at, timeliness, procedure_id);
