-- frontdesk schema: the search indexes hold text through the one fold every query goes
-- through (text::search_fold: full-width forms, case, accents, punctuation as spaces).
-- The gram index takes its tokens as given ('ascii': every non-ASCII character is part
-- of a token, so an emoji is one) and holds each word's first one and two characters,
-- so a one- or two-letter term is one lookup. The tables are made anew here, empty;
-- the store fills them from the registers' rows in this same transaction.
DROP TABLE visitor_tri;
DROP TABLE visitor_gram;
DROP TABLE customer_tri;
DROP TABLE customer_gram;
DROP TABLE complaint_tri;
DROP TABLE complaint_gram;
DROP TABLE callback_tri;
DROP TABLE callback_gram;
CREATE VIRTUAL TABLE visitor_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE visitor_gram USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
CREATE VIRTUAL TABLE customer_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE customer_gram USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
CREATE VIRTUAL TABLE complaint_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE complaint_gram USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
CREATE VIRTUAL TABLE callback_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE callback_gram USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
