-- frontdesk schema: staff complained about who have no login are named in free text
-- (rule C12), and that name bars them from the case's callback as well.
ALTER TABLE complaint ADD COLUMN staff_named TEXT;
ALTER TABLE callback ADD COLUMN barred_name TEXT;
