//! Search through an index, never a table scan. Both indexes and every query see text
//! through one fold (`text::search_fold`: width, case, accents, punctuation as spaces).
//! Terms of 3+ characters go to a trigram index of the folded text (any substring:
//! names, phone fragments, numbers). Shorter terms, which trigrams cannot match, go to a
//! gram index holding every single CJK character, every CJK pair, every word with its
//! first one and two characters, and every emoji, so one Chinese character, a
//! two-character name, or the `1` or `S` a phone or a name starts with is one lookup.

use rusqlite::types::Value as Sql;
use rusqlite::{Transaction, params, params_from_iter};

use super::{Result, Store};
use crate::domain::register::{Cond, Context, Record, RegisterDef, search_text};
use crate::domain::{phone, text};

/// (re)indexes a record.
pub(crate) fn index(tx: &Transaction, def: &RegisterDef, id: i64, body: &str) -> Result<()> {
    for t in ["tri", "gram"] {
        tx.prepare_cached(&format!("DELETE FROM {}_{t} WHERE rowid = ?1", def.table))?.execute([id])?;
    }
    index_new(tx, def, id, body)
}

/// Indexes a record that has never been indexed.
pub(crate) fn index_new(tx: &Transaction, def: &RegisterDef, id: i64, body: &str) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO {}_tri(rowid, body) VALUES (?1, ?2)", def.table))?
        .execute(params![id, text::search_fold(body)])?;
    let mut grams = String::new();
    text::Grams::default().push(body, &mut grams);
    tx.prepare_cached(&format!("INSERT INTO {}_gram(rowid, body) VALUES (?1, ?2)", def.table))?
        .execute(params![id, grams])?;
    Ok(())
}

/// Indexes many new records with one statement per index and batch: FTS5 flushes its
/// pending terms at every statement, so a statement per record costs a flush and a
/// merge per record (most of a bulk load's time). The gram texts of a batch are built
/// into one buffer and every text is bound as it lies, not copied into a value list.
pub(crate) fn index_batch(tx: &Transaction, def: &RegisterDef, docs: &[(i64, String)]) -> Result<()> {
    let mut grams = text::Grams::default();
    let mut all = String::new();
    let mut folded = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(BATCH.min(docs.len()));
    let mut folds: Vec<(usize, usize)> = Vec::with_capacity(BATCH.min(docs.len()));
    for chunk in docs.chunks(BATCH) {
        let marks = vec!["(?, ?)"; chunk.len()].join(", ");
        all.clear();
        folded.clear();
        spans.clear();
        folds.clear();
        for (_, body) in chunk {
            let from = all.len();
            grams.push(body, &mut all);
            spans.push((from, all.len()));
            let from = folded.len();
            text::search_fold_into(body, &mut folded);
            folds.push((from, folded.len()));
        }
        let mut tri = tx.prepare_cached(&format!("INSERT INTO {}_tri(rowid, body) VALUES {marks}", def.table))?;
        for (i, ((id, _), &(from, to))) in chunk.iter().zip(&folds).enumerate() {
            tri.raw_bind_parameter(2 * i + 1, id)?;
            tri.raw_bind_parameter(2 * i + 2, &folded[from..to])?;
        }
        tri.raw_execute()?;
        let mut gram = tx.prepare_cached(&format!("INSERT INTO {}_gram(rowid, body) VALUES {marks}", def.table))?;
        for (i, ((id, _), &(from, to))) in chunk.iter().zip(&spans).enumerate() {
            gram.raw_bind_parameter(2 * i + 1, id)?;
            gram.raw_bind_parameter(2 * i + 2, &all[from..to])?;
        }
        gram.raw_execute()?;
    }
    Ok(())
}

/// Indexes every record of every register into empty indexes (after the migration that
/// makes them anew), a batch at a time so a million rows are never all in memory.
pub(crate) fn reindex_all(tx: &Transaction) -> Result<()> {
    for def in crate::domain::REGISTERS {
        let sql = format!(
            "SELECT {} FROM {} WHERE id > ?1 ORDER BY id LIMIT {BATCH}",
            super::records::select_cols(def),
            def.table
        );
        let mut after = 0i64;
        loop {
            let docs: Vec<(i64, String)> = tx
                .prepare_cached(&sql)?
                .query_map([after], |r| super::records::record_from_row(def, r))?
                .map(|r| r.map(|rec| (rec.id, search_text(def, &rec.number, &rec.values))))
                .collect::<rusqlite::Result<_>>()?;
            let Some(&(last, _)) = docs.last() else { break };
            index_batch(tx, def, &docs)?;
            after = last;
        }
    }
    Ok(())
}

/// Records indexed by one statement in a bulk load.
pub(crate) const BATCH: usize = 4000;

fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Splits what the operator typed into the two indexes' queries (trigram, gram).
/// Phone-like terms lose their separators so "138-1234" finds "13812345678"; every other
/// term is folded as the index folds it (`text::search_fold`), so its punctuation
/// separates words on both sides.
pub fn fts_query(input: &str) -> (Option<String>, Option<String>) {
    let clean = text::sanitize(input, false);
    let mut tri = Vec::new();
    let mut gram = Vec::new();
    // A whole number dialled abroad (`+86 186 1111 2222`, `0049 89 38200`) is one phone,
    // folded as the phone field folds it; so is each term that is a whole phone alone.
    let whole = clean.trim();
    let wide: String = whole.chars().map(text::fold_width).collect();
    let terms: Vec<&str> = match (wide.starts_with('+') || wide.starts_with("00")).then(|| phone::search_form(whole)) {
        Some(Some(_)) => vec![whole],
        _ => clean.split_whitespace().collect(),
    };
    let mut words = Vec::new();
    for raw in terms {
        let phone_like = raw
            .chars()
            .map(text::fold_width)
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '+' | '.' | ' '));
        let lower = raw.to_lowercase();
        if let Some(p) = phone::search_form(raw)
            .filter(|_| phone_like || lower.contains('x') || raw.contains('转') || raw.contains("分机"))
        {
            words.push(p);
        } else if phone_like {
            words.push(text::search_fold(raw).chars().filter(char::is_ascii_digit).collect());
        } else {
            words.extend(text::search_fold(raw).split_whitespace().map(str::to_string));
        }
    }
    for term in words {
        let n = text::char_count(&term);
        if n == 0 {
            continue;
        }
        if n >= 3 {
            tri.push(quote(&term));
            continue;
        }
        // A short term is looked up as the gram index holds it: CJK characters and pairs,
        // a word's first one or two characters ("A座" is the word start "a" and the
        // character "座"), an emoji.
        let mut run = String::new();
        let mut run_class = text::Class::Separator;
        for c in term.chars() {
            let class = text::class(c);
            if class != run_class || class == text::Class::Symbol {
                if !run.is_empty() {
                    gram.push(quote(&run));
                }
                run.clear();
                run_class = class;
            }
            run.push(c);
        }
        if !run.is_empty() {
            gram.push(quote(&run));
        }
    }
    let join = |v: Vec<String>| if v.is_empty() { None } else { Some(v.join(" AND ")) };
    (join(tri), join(gram))
}

impl Store {
    /// Ids of records matching `input`, newest first, older than `before`.
    pub fn search_ids(&self, def: &RegisterDef, input: &str, before: Option<i64>, limit: usize) -> Result<Vec<i64>> {
        let (tri, gram) = fts_query(input);
        let t = def.table;
        let before = before.unwrap_or(i64::MAX);
        let (sql, args): (String, Vec<Sql>) = match (tri, gram) {
            (None, None) => return Ok(Vec::new()),
            (Some(q), None) => (
                format!("SELECT rowid FROM {t}_tri WHERE {t}_tri MATCH ?1 AND rowid < ?2 ORDER BY rowid DESC LIMIT ?3"),
                vec![Sql::Text(q), Sql::Integer(before), Sql::Integer(limit as i64)],
            ),
            (None, Some(q)) => (
                format!(
                    "SELECT rowid FROM {t}_gram WHERE {t}_gram MATCH ?1 AND rowid < ?2 ORDER BY rowid DESC LIMIT ?3"
                ),
                vec![Sql::Text(q), Sql::Integer(before), Sql::Integer(limit as i64)],
            ),
            (Some(a), Some(b)) => return self.in_both(t, &a, &b, before, limit),
        };
        let ids = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Ids that both indexes answer, newest first, older than `before`. Each index is read
    /// newest first a window at a time and the two are met as they go: only the index
    /// whose window ends higher reads on (its next window twice as long), so a page reads
    /// the ids down to its last row, never the whole answer of either (a common surname
    /// alone is a tenth of the register).
    fn in_both(&self, t: &str, tri: &str, gram: &str, before: i64, limit: usize) -> Result<Vec<i64>> {
        /// One index's ids read so far and not yet met, and how far down they are known.
        struct Side<'q> {
            index: &'static str,
            query: &'q str,
            ids: std::collections::VecDeque<i64>,
            /// Every id of the index from here up to where reading began is read
            /// (i64::MIN: every one).
            floor: i64,
            window: usize,
        }
        let read = |side: &mut Side| -> Result<()> {
            let (index, hi, n) = (side.index, side.floor, side.window);
            let sql = format!(
                "SELECT rowid FROM {t}_{index} WHERE {t}_{index} MATCH ?1 AND rowid < ?2 ORDER BY rowid DESC LIMIT ?3"
            );
            let ids: Vec<i64> = self
                .conn
                .prepare_cached(&sql)?
                .query_map(params![side.query, hi, n as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            side.floor = if ids.len() < n { i64::MIN } else { ids[ids.len() - 1] };
            side.ids.extend(ids);
            side.window = (n * 2).min(8192);
            Ok(())
        };
        let new = |index, query| Side { index, query, ids: Default::default(), floor: before, window: 64 };
        let (mut a, mut b) = (new("tri", tri), new("gram", gram));
        read(&mut a)?;
        read(&mut b)?;
        let mut out = Vec::new();
        loop {
            // both are known down to `lo`: what is in both above it is found
            let lo = a.floor.max(b.floor);
            while let (Some(&x), Some(&y)) = (a.ids.front(), b.ids.front()) {
                if x < lo || y < lo {
                    break;
                }
                match x.cmp(&y) {
                    std::cmp::Ordering::Equal => {
                        out.push(x);
                        a.ids.pop_front();
                        b.ids.pop_front();
                    }
                    std::cmp::Ordering::Greater => {
                        a.ids.pop_front();
                    }
                    std::cmp::Ordering::Less => {
                        b.ids.pop_front();
                    }
                }
            }
            // what is left above `lo` on one side has no partner
            for s in [&mut a, &mut b] {
                while s.ids.front().is_some_and(|&x| x >= lo) {
                    s.ids.pop_front();
                }
            }
            // an index with nothing left ends it
            let spent = |s: &Side| s.floor == i64::MIN && s.ids.is_empty();
            if out.len() >= limit || lo == i64::MIN || spent(&a) || spent(&b) {
                break;
            }
            // the index known less far down reads on
            if a.floor == lo {
                read(&mut a)?;
            }
            if b.floor == lo {
                read(&mut b)?;
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// One page of search results, newest first, within a filter.
    pub fn search(
        &self,
        def: &RegisterDef,
        input: &str,
        cond: Cond,
        before: Option<i64>,
        limit: usize,
        ctx: &Context,
    ) -> Result<Vec<Record>> {
        self.search_narrowed(def, input, cond, &[], before, limit, ctx)
    }

    /// `search`, within the operator's narrowing.
    #[allow(clippy::too_many_arguments)]
    pub fn search_narrowed(
        &self,
        def: &RegisterDef,
        input: &str,
        cond: Cond,
        narrow: &[crate::domain::register::Narrow],
        before: Option<i64>,
        limit: usize,
        ctx: &Context,
    ) -> Result<Vec<Record>> {
        // A whole record number goes straight to its row.
        if before.is_none()
            && let Some(id) = self.id_by_number(def, input.trim()).ok().flatten()
        {
            return self.by_ids(def, &[id], cond, narrow, ctx);
        }
        let mut out = Vec::new();
        let mut cursor = before;
        // Candidates come in batches; a filter may drop some, so fetch until the page is full.
        loop {
            let batch = (limit * 2).max(32);
            let ids = self.search_ids(def, input, cursor, batch)?;
            if ids.is_empty() {
                break;
            }
            cursor = ids.last().copied();
            let got = self.by_ids(def, &ids, cond, narrow, ctx)?;
            out.extend(got);
            if out.len() >= limit || ids.len() < batch {
                break;
            }
        }
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn short_terms_go_to_the_gram_index() {
        assert_eq!(fts_query("王"), (None, Some("\"王\"".into())));
        assert_eq!(fts_query("王芳"), (None, Some("\"王芳\"".into())));
        assert_eq!(fts_query("Li"), (None, Some("\"li\"".into())));
        assert_eq!(fts_query("5678"), (Some("\"5678\"".into()), None));
        assert_eq!(fts_query("138-1234"), (Some("\"1381234\"".into()), None));
        assert_eq!(fts_query("王 5678"), (Some("\"5678\"".into()), Some("\"王\"".into())));
        assert_eq!(fts_query("   "), (None, None));
        assert_eq!(fts_query("a\"b"), (None, Some("\"a\" AND \"b\"".into())), "a quote separates");
        assert_eq!(fts_query("王芳 ，"), (None, Some("\"王芳\"".into())), "punctuation alone is no term");
        assert_eq!(fts_query("A座"), (None, Some("\"a\" AND \"座\"".into())));
        assert_eq!(fts_query("1"), (None, Some("\"1\"".into())), "a word start is one gram, not a prefix scan");
        assert_eq!(fts_query("😀"), (None, Some("\"😀\"".into())));
        assert_eq!(fts_query("看房，咨询"), (None, Some("\"看房\" AND \"咨询\"".into())));
        assert_eq!(fts_query("ＡＢＣ"), (Some("\"abc\"".into()), None));
        assert_eq!(fts_query("José"), (Some("\"jose\"".into()), None));
        assert_eq!(fts_query("１３８"), (Some("\"138\"".into()), None), "full-width digits");
    }

    #[test]
    fn phones_are_folded_as_the_field_folds_them() {
        let tri = |q: &str| fts_query(q).0;
        assert_eq!(tri("+8618611112222").as_deref(), Some("\"18611112222\""));
        assert_eq!(tri("+86 186 1111 2222").as_deref(), Some("\"18611112222\""));
        assert_eq!(tri("0086 186 1111 2222").as_deref(), Some("\"18611112222\""));
        assert_eq!(tri("+49 89 38200").as_deref(), Some("\"498938200\""));
        assert_eq!(tri("021-62881234转801").as_deref(), Some("\"02162881234x801\""));
        assert_eq!(tri("62881234").as_deref(), Some("\"62881234\""));
        // fragments stay fragments
        assert_eq!(tri("139 1234").as_deref(), Some("\"139\" AND \"1234\""));
        assert_eq!(fts_query("+49"), (None, Some("\"49\"".into())));
        assert_eq!(tri("＋８６ １３８ ００００ ００００").as_deref(), Some("\"13800000000\""));
        assert_eq!(tri("8613811112222").as_deref(), Some("\"13811112222\""));
    }
}
