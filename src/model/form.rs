//! The one form every register uses: field text, caret, focus, type-ahead, errors.
//! Pure state; the model decides what saving means.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

use crate::domain::register::{Context, FieldDef, FieldKind, Record, format, parse};
use crate::domain::{Msg, Value, text};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub raw: String,
    /// Caret position in characters.
    pub caret: usize,
    /// The record chosen by type-ahead (lookups).
    pub pick: Option<i64>,
    #[serde(skip)]
    pub error: Option<Msg>,
    /// Where the view of the text starts: a multi-line field's first row shown, a
    /// one-line field's first character shown. The view keeps the caret in it.
    #[serde(skip)]
    pub top: usize,
}

/// Rows an editable multi-line field shows.
pub const MULTI_ROWS: usize = 3;

/// What the last drawing of a form measured, so that keys move the view within what
/// there is: the width of a value, the lines the focus needs scrolled, and the most the
/// form can be scrolled. All 0 before the form is first drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Seen {
    pub cols: usize,
    pub need: usize,
    pub most: usize,
}

impl Field {
    pub fn new(raw: String, pick: Option<i64>) -> Field {
        let caret = raw.chars().count();
        Field { raw, caret, pick, error: None, top: 0 }
    }
}

/// What someone else changed while this operator was editing.
#[derive(Clone, Debug, PartialEq)]
pub struct ConflictView {
    pub by: String,
    pub at: i64,
    /// Fields both changed: (field index, their text, this operator's text).
    pub fields: Vec<(usize, String, String)>,
    /// Fields only they changed, now taken into this operator's form.
    pub merged: Vec<usize>,
}

/// A type-ahead suggestion: a record, its label, and what picking it fills in
/// (field, text, chosen record).
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub label: String,
    pub fills: Vec<(&'static str, String, Option<i64>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Suggest {
    pub field: usize,
    pub hits: Vec<Hit>,
    /// None until the operator moves into the list: Enter alone never picks.
    pub selected: Option<usize>,
}

impl Suggest {
    pub fn down(&mut self) {
        let n = self.hits.len().max(1);
        self.selected = Some(self.selected.map(|i| (i + 1) % n).unwrap_or(0));
    }

    pub fn up(&mut self) {
        let n = self.hits.len().max(1);
        self.selected = Some(self.selected.map(|i| (i + n - 1) % n).unwrap_or(n - 1));
    }

    pub fn chosen(&self) -> Option<&Hit> {
        self.selected.and_then(|i| self.hits.get(i))
    }
}

#[derive(Clone, Debug)]
pub struct FormState {
    /// Labels are `field.<name>.<key>`.
    pub name: &'static str,
    pub fields: &'static [FieldDef],
    pub values: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// The saved version this form edits; None for a new record.
    pub base: Option<Record>,
    pub conflict: Option<ConflictView>,
    pub suggest: Option<Suggest>,
    /// A message about the whole form (a save refused for a reason not tied to a field).
    pub notice: Option<Msg>,
    /// Fields the operator may not change now (a case's other steps).
    pub locked: Vec<bool>,
    /// Lines the operator scrolled the form by (PgUp/PgDn), beyond what the focus needs.
    pub scroll: i32,
    /// Earlier records of the same matter (rule C15), for a new record.
    pub similar: Vec<Similar>,
    /// What saving a new entry does to its linked card, said before it is saved: links
    /// it to the card holding its phone, or makes a new card (rules I3, I4).
    pub link_note: Option<Msg>,
    /// Save as the same case as this record; `true`: reopen it as a repeat.
    pub merge_into: Option<(i64, bool)>,
    /// Records of other registers linked to this one (a customer's visits), newest first;
    /// and whether there are more than those.
    pub related: Vec<Related>,
    pub related_more: bool,
    /// The history line chosen while the history has the keyboard (Tab past the last field).
    pub related_at: Option<usize>,
    /// Fields the current step cannot complete without (shown with `*`, as required ones).
    pub step_required: Vec<bool>,
    /// Who completes the current step, when this operator may not (its fields are locked),
    /// and the field it is said at (the step's first).
    pub step_note: Option<(usize, Msg)>,
    /// Measured by the last drawing (see `Seen`).
    pub seen: Cell<Seen>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Similar {
    pub id: i64,
    pub number: String,
    pub summary: String,
    /// Still open: it can be linked.
    pub open: bool,
    /// Closed recently enough to reopen.
    pub reopenable: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub register: &'static str,
    pub id: i64,
    pub number: String,
    pub at: i64,
    pub summary: String,
}

/// What a draft keeps: enough to rebuild the form exactly.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DraftData {
    /// Fields by position: drafts written before fields were named. Read, never written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Field>,
    /// Fields by their key, so a migration that adds or moves a field never breaks a draft.
    #[serde(default)]
    pub named: Vec<(String, Field)>,
    pub focus: usize,
    pub base_id: Option<i64>,
    pub base_version: Option<i64>,
    /// The record as it was when the form opened: a draft saved later is merged
    /// against it, field by field, never over what others saved meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_values: Option<Vec<Value>>,
    #[serde(default)]
    pub base_named: Option<Vec<(String, Value)>>,
}

impl DraftData {
    /// The draft's text for a field, by key (or, for an old draft, by position when
    /// it still has as many fields as the form).
    pub fn field(&self, fields: &[FieldDef], key: &str) -> Option<&Field> {
        if !self.named.is_empty() {
            return self.named.iter().find(|(k, _)| k == key).map(|(_, f)| f);
        }
        let i = fields.iter().position(|f| f.key == key)?;
        (self.values.len() == fields.len()).then(|| &self.values[i])
    }

    /// The record the draft began from, laid out as `fields` are now: a field the draft
    /// did not know is empty. None if the draft has no base it can be read against.
    pub fn base_for(&self, fields: &[FieldDef]) -> Option<Vec<Value>> {
        if let Some(named) = &self.base_named {
            return Some(
                fields
                    .iter()
                    .map(|f| named.iter().find(|(k, _)| k == f.key).map(|(_, v)| v.clone()).unwrap_or_default())
                    .collect(),
            );
        }
        self.base_values.clone().filter(|v| v.len() == fields.len())
    }
}

impl FormState {
    pub fn new(name: &'static str, fields: &'static [FieldDef]) -> FormState {
        let mut f = FormState {
            name,
            fields,
            values: fields.iter().map(|_| Field::default()).collect(),
            focus: 0,
            dirty: false,
            base: None,
            conflict: None,
            suggest: None,
            notice: None,
            related: Vec::new(),
            related_more: false,
            related_at: None,
            locked: vec![false; fields.len()],
            scroll: 0,
            similar: Vec::new(),
            link_note: None,
            merge_into: None,
            step_required: vec![false; fields.len()],
            step_note: None,
            seen: Cell::new(Seen::default()),
        };
        for (i, d) in fields.iter().enumerate() {
            if let FieldKind::YesNo = d.kind {
                f.values[i].raw = "no".into();
            }
        }
        f.focus = f.first_editable();
        f
    }

    /// A form filled from a saved record; `label` names lookups' records.
    pub fn from_record(
        name: &'static str,
        fields: &'static [FieldDef],
        rec: &Record,
        offset: i32,
        label: &dyn Fn(&FieldDef, i64) -> String,
    ) -> FormState {
        let mut f = FormState::new(name, fields);
        for (i, d) in fields.iter().enumerate() {
            f.set_value(i, &rec.values[i], offset, label);
            // a saved text is read from its start
            if d.kind.is_multiline() {
                f.values[i].caret = 0;
            }
        }
        f.base = Some(rec.clone());
        f
    }

    /// Puts a saved value back into a field, as the operator would have typed it.
    pub fn set_value(&mut self, i: usize, v: &Value, offset: i32, label: &dyn Fn(&FieldDef, i64) -> String) {
        let d = &self.fields[i];
        self.values[i] = match (d.kind, v) {
            (FieldKind::Lookup(_), Value::Ref(id)) => Field::new(label(d, *id), Some(*id)),
            (FieldKind::YesNo, v) => Field::new(if v.as_bool() { "yes" } else { "no" }.into(), None),
            (kind, v) => Field::new(format(kind, v, offset), None),
        };
        self.caret_home_in_boxes(i);
    }

    pub fn set(&mut self, key: &str, raw: &str, pick: Option<i64>) {
        if let Some(i) = self.index(key) {
            self.values[i] = Field::new(raw.to_string(), pick);
            self.caret_home_in_boxes(i);
        }
    }

    /// A flags field's caret is on one of its boxes, the first one to begin with.
    fn caret_home_in_boxes(&mut self, i: usize) {
        if let FieldKind::Flags { .. } = self.fields[i].kind {
            self.values[i].caret = 0;
        }
    }

    /// A caret kept in a draft stays inside its text (or on one of a flags field's boxes).
    fn caret_inside(&mut self, i: usize) {
        let f = &mut self.values[i];
        f.caret = match self.fields[i].kind {
            FieldKind::Flags { codes, .. } => f.caret.min(codes.len().saturating_sub(1)),
            _ => f.caret.min(f.raw.chars().count()),
        };
    }

    pub fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn raw(&self, key: &str) -> &str {
        self.index(key).map(|i| self.values[i].raw.as_str()).unwrap_or("")
    }

    /// The operator may type in field `i`.
    pub fn editable(&self, i: usize) -> bool {
        !self.fields[i].readonly && !self.locked.get(i).copied().unwrap_or(false)
    }

    /// The field is on the form: hidden ones never are, nor a read-only one with nothing
    /// in it (a step not reached yet, a stamp not made).
    pub fn shown(&self, i: usize) -> bool {
        let (d, fv) = (&self.fields[i], &self.values[i]);
        let blank = fv.raw.trim().is_empty() || (d.kind == FieldKind::YesNo && fv.raw == "no");
        !d.hidden && (self.editable(i) || !blank)
    }

    /// Nothing on the form can be typed in (a closed case, a voided record, a register
    /// the operator may only read): the focus goes through every field shown, to read it.
    pub fn browsing(&self) -> bool {
        !(0..self.fields.len()).any(|i| self.editable(i))
    }

    /// The focus may stop at field `i`.
    fn stop(&self, i: usize) -> bool {
        if self.browsing() { self.shown(i) } else { self.editable(i) }
    }

    /// Whether field `i` must be filled now: always, at the current step, or because of
    /// what another field holds (the written reply once 书面 is chosen).
    pub fn required(&self, i: usize) -> bool {
        let when = self.fields[i]
            .required_when
            .is_some_and(|(k, code)| self.index(k).is_some_and(|j| self.values[j].raw == code));
        self.fields[i].required || when || self.step_required.get(i).copied().unwrap_or(false)
    }

    /// Locks fields (true = may not change) and moves the focus off a locked one.
    pub fn lock(&mut self, locked: Vec<bool>) {
        self.locked = locked;
        if !self.stop(self.focus) {
            self.focus = self.first_editable();
        }
    }

    pub fn def(&self) -> &'static FieldDef {
        &self.fields[self.focus]
    }

    fn first_editable(&self) -> usize {
        (0..self.fields.len()).find(|&i| self.stop(i)).unwrap_or(0)
    }

    pub fn is_new(&self) -> bool {
        self.base.is_none()
    }

    /// What is typed so far, leniently: a field that does not parse yet counts as empty
    /// (for what is shown beside the form while typing, never for a save).
    pub fn values_so_far(&self, ctx: &Context) -> Vec<Value> {
        self.fields
            .iter()
            .zip(&self.values)
            .map(|(d, fv)| parse(d.kind, &fv.raw, fv.pick, ctx).unwrap_or_default())
            .collect()
    }

    /// Parses every field; errors are kept at their fields, and a field that did not
    /// parse holds Null in the result. Returns the values and whether all parsed.
    pub fn parse_all(&mut self, ctx: &Context) -> (Vec<Value>, bool) {
        let mut out = Vec::with_capacity(self.fields.len());
        let mut ok = true;
        for (i, d) in self.fields.iter().enumerate() {
            let fv = &mut self.values[i];
            match parse(d.kind, &fv.raw, fv.pick, ctx) {
                Ok(v) => {
                    fv.error = None;
                    out.push(v);
                }
                Err(m) => {
                    fv.error = Some(m);
                    out.push(Value::Null);
                    ok = false;
                }
            }
        }
        (out, ok)
    }

    pub fn error_count(&self) -> usize {
        self.values.iter().filter(|v| v.error.is_some()).count()
    }

    /// Moves focus to the first field with an error.
    pub fn focus_first_error(&mut self) {
        if let Some(i) = self.values.iter().position(|v| v.error.is_some()) {
            self.focus = i;
        }
    }

    pub fn set_error(&mut self, key: &str, m: Msg) {
        if let Some(i) = self.index(key) {
            self.values[i].error = Some(m);
        } else {
            self.notice = Some(m);
        }
    }

    pub fn clear_errors(&mut self) {
        for v in &mut self.values {
            v.error = None;
        }
        self.notice = None;
    }

    // ---- focus ----

    pub fn next_field(&mut self) {
        self.suggest = None;
        self.scroll = 0;
        // The history after the last field: down its lines, then round to the first field.
        match self.related_at {
            Some(i) if i + 1 < self.related.len() => {
                self.related_at = Some(i + 1);
                return;
            }
            Some(_) => {
                self.related_at = None;
                self.focus = self.first_editable();
                return;
            }
            None if self.is_last_field() && !self.related.is_empty() => {
                self.related_at = Some(0);
                return;
            }
            None => {}
        }
        let n = self.fields.len();
        for step in 1..=n {
            let i = (self.focus + step) % n;
            if self.stop(i) {
                self.focus = i;
                return;
            }
        }
    }

    pub fn prev_field(&mut self) {
        self.suggest = None;
        self.scroll = 0;
        // Up the history's lines, then back to the last field.
        match self.related_at {
            Some(i) if i > 0 => {
                self.related_at = Some(i - 1);
                return;
            }
            Some(_) => {
                self.related_at = None;
                if let Some(last) = (0..self.fields.len()).rev().find(|&i| self.stop(i)) {
                    self.focus = last;
                }
                return;
            }
            None => {}
        }
        let n = self.fields.len();
        for step in 1..=n {
            let i = (self.focus + n - step) % n;
            if self.stop(i) {
                self.focus = i;
                return;
            }
        }
    }

    /// PgDn/PgUp: through the history's lines when it has the keyboard, else the form's view.
    pub fn page(&mut self, lines: i32) {
        match self.related_at {
            Some(i) => {
                let last = self.related.len().saturating_sub(1) as i64;
                self.related_at = Some((i as i64 + lines as i64).clamp(0, last) as usize);
            }
            None => {
                if self.page_in_field(lines) {
                    return;
                }
                // within what the form has: past its top or bottom, nothing piles up
                let seen = self.seen.get();
                if seen.cols == 0 {
                    self.scroll += lines;
                    return;
                }
                let (need, most) = (seen.need as i64, seen.most.max(seen.need) as i64);
                let now = (need + self.scroll as i64).clamp(0, most);
                self.scroll = ((now + lines as i64).clamp(0, most) - need) as i32;
            }
        }
    }

    /// An editable multi-line field longer than its rows: a page moves the caret by a
    /// view of rows, while there are rows that way. False when there are none.
    fn page_in_field(&mut self, lines: i32) -> bool {
        self.rows_in_field((MULTI_ROWS - 1) as i64 * lines.signum() as i64, MULTI_ROWS + 1)
    }

    /// ↓ and ↑: in an editable multi-line field, the caret goes a row down or up while
    /// there is one; from its last or first row, to the next or previous field.
    pub fn down(&mut self) {
        if !self.rows_in_field(1, 2) {
            self.next_field();
        }
    }

    pub fn up(&mut self) {
        if !self.rows_in_field(-1, 2) {
            self.prev_field();
        }
    }

    /// Moves the caret of an editable multi-line field of at least `least` rows by
    /// `step` rows, keeping its column; false when there is no row that way.
    fn rows_in_field(&mut self, step: i64, least: usize) -> bool {
        let i = self.focus;
        let cols = self.seen.get().cols.saturating_sub(1);
        if !self.fields[i].kind.is_multiline() || !self.editable(i) || cols < 2 {
            return false;
        }
        let fv = &self.values[i];
        let (rows, (row, col)) = crate::text::wrap(&fv.raw, cols, fv.caret);
        if rows.len() < least {
            return false;
        }
        let target = (row as i64 + step).clamp(0, rows.len() as i64 - 1) as usize;
        if target == row {
            return false;
        }
        // the same column on the row it lands on, as near as its characters allow
        let ranges = crate::text::wrap_ranges(&fv.raw, cols);
        let (a, b) = ranges.get(target).copied().unwrap_or((0, 0));
        let mut caret = a;
        let mut w = 0;
        for c in fv.raw.chars().skip(a).take(b - a) {
            if w >= col {
                break;
            }
            w += crate::text::char_width(c);
            caret += 1;
        }
        self.values[i].caret = caret;
        self.follow();
        true
    }

    /// Moves the focused field's view so its caret is in it (by the width last drawn).
    fn follow(&mut self) {
        let i = self.focus;
        let cols = self.seen.get().cols;
        if cols == 0 {
            return;
        }
        let kind = self.fields[i].kind;
        let fv = &mut self.values[i];
        if kind.is_multiline() {
            let (_, (row, _)) = crate::text::wrap(&fv.raw, cols.saturating_sub(1), fv.caret);
            fv.top = fv.top.clamp((row + 1).saturating_sub(MULTI_ROWS), row);
        } else if kind.is_text_input() {
            let shown = if kind == FieldKind::Secret { "•".repeat(fv.raw.chars().count()) } else { fv.raw.clone() };
            fv.top = crate::text::hscroll(&shown, fv.caret, fv.top, cols).1;
        }
    }

    /// The history has the keyboard: typing goes nowhere.
    fn in_history(&self) -> bool {
        self.related_at.is_some()
    }

    /// No field after the focused one takes the focus (on a read-only form, every shown
    /// field does: it is read field by field).
    pub fn is_last_field(&self) -> bool {
        !(self.focus + 1..self.fields.len()).any(|i| self.stop(i))
    }

    // ---- editing ----

    fn edited(&mut self) {
        self.dirty = true;
        self.follow();
        let i = self.focus;
        self.values[i].error = None;
        if matches!(self.fields[i].kind, FieldKind::Lookup(_)) {
            // Typing over a chosen record means choosing again.
            self.values[i].pick = None;
        }
    }

    /// Inserts typed or pasted text at the caret, cleaned for this field.
    pub fn insert(&mut self, s: &str) {
        if self.in_history() {
            return;
        }
        let d = self.def();
        if !self.editable(self.focus) {
            return;
        }
        match d.kind {
            FieldKind::Choice { codes, .. } => {
                // The first letter of a code picks it; again, the next code with that letter.
                if let Some(c) = s.chars().next().map(|c| c.to_lowercase().to_string()) {
                    let matching: Vec<&str> =
                        codes.iter().copied().filter(|k| k.to_lowercase().starts_with(&c)).collect();
                    let cur = &self.values[self.focus].raw;
                    let next = match matching.iter().position(|k| k == cur) {
                        Some(i) => matching.get(i + 1).or(matching.first()),
                        None => matching.first(),
                    };
                    if let Some(code) = next {
                        self.values[self.focus].raw = code.to_string();
                        self.edited();
                    }
                }
                return;
            }
            FieldKind::Flags { codes, .. } => {
                // Space ticks the code under the cursor; a letter jumps to its code and ticks it.
                if let Some(c) = s.chars().next() {
                    if c != ' ' {
                        let c = c.to_lowercase().to_string();
                        match codes.iter().position(|k| k.to_lowercase().starts_with(&c)) {
                            Some(i) => self.values[self.focus].caret = i,
                            None => return,
                        }
                    }
                    self.toggle_flag(codes);
                }
                return;
            }
            FieldKind::YesNo => {
                match s.chars().next().map(|c| c.to_ascii_lowercase()) {
                    Some('y') | Some('1') | Some('是') => self.values[self.focus].raw = "yes".into(),
                    Some('n') | Some('0') | Some('否') => self.values[self.focus].raw = "no".into(),
                    Some(' ') => self.toggle(),
                    _ => return,
                }
                self.edited();
                return;
            }
            _ => {}
        }
        let clean = if d.kind == FieldKind::Secret {
            text::sanitize(s, false)
        } else {
            text::sanitize(s, d.kind.is_multiline())
        };
        if clean.is_empty() {
            return;
        }
        let f = &mut self.values[self.focus];
        let at = byte_at(&f.raw, f.caret);
        f.raw.insert_str(at, &clean);
        f.caret += clean.chars().count();
        self.edited();
    }

    pub fn newline(&mut self) {
        if self.in_history() {
            return;
        }
        if self.def().kind.is_multiline() {
            let f = &mut self.values[self.focus];
            let at = byte_at(&f.raw, f.caret);
            f.raw.insert(at, '\n');
            f.caret += 1;
            self.edited();
        }
    }

    pub fn backspace(&mut self) {
        if self.in_history() {
            return;
        }
        if !self.def().kind.is_text_input() || !self.editable(self.focus) {
            return;
        }
        let f = &mut self.values[self.focus];
        if f.caret == 0 {
            return;
        }
        let start = byte_at(&f.raw, f.caret - 1);
        let end = byte_at(&f.raw, f.caret);
        f.raw.replace_range(start..end, "");
        f.caret -= 1;
        self.edited();
    }

    pub fn delete(&mut self) {
        if self.in_history() {
            return;
        }
        if !self.def().kind.is_text_input() || !self.editable(self.focus) {
            return;
        }
        let f = &mut self.values[self.focus];
        if f.caret >= f.raw.chars().count() {
            return;
        }
        let start = byte_at(&f.raw, f.caret);
        let end = byte_at(&f.raw, f.caret + 1);
        f.raw.replace_range(start..end, "");
        self.edited();
    }

    /// Clears the field (Ctrl-U).
    pub fn clear_field(&mut self) {
        if self.in_history() {
            return;
        }
        if !self.def().kind.is_text_input() || !self.editable(self.focus) {
            return;
        }
        let f = &mut self.values[self.focus];
        f.raw.clear();
        f.caret = 0;
        self.edited();
    }

    fn toggle_flag(&mut self, codes: &[&str]) {
        let f = &mut self.values[self.focus];
        let Some(code) = codes.get(f.caret.min(codes.len().saturating_sub(1))) else { return };
        let mut set: Vec<&str> = f.raw.split(',').filter(|c| !c.is_empty()).collect();
        match set.iter().position(|c| c == code) {
            Some(i) => {
                set.remove(i);
            }
            None => set.push(code),
        }
        set.sort_by_key(|c| codes.iter().position(|k| k == c));
        f.raw = set.join(",");
        self.edited();
    }

    pub fn left(&mut self) {
        match self.def().kind {
            FieldKind::Choice { .. } => self.cycle(-1),
            FieldKind::YesNo => self.toggle(),
            FieldKind::Flags { codes, .. } => {
                let f = &mut self.values[self.focus];
                f.caret = f.caret.min(codes.len().saturating_sub(1)).saturating_sub(1);
            }
            _ => {
                let f = &mut self.values[self.focus];
                f.caret = f.caret.saturating_sub(1);
                self.follow();
            }
        }
    }

    pub fn right(&mut self) {
        match self.def().kind {
            FieldKind::Choice { .. } => self.cycle(1),
            FieldKind::YesNo => self.toggle(),
            FieldKind::Flags { codes, .. } => {
                let f = &mut self.values[self.focus];
                f.caret = (f.caret + 1).min(codes.len().saturating_sub(1));
            }
            _ => {
                let f = &mut self.values[self.focus];
                f.caret = (f.caret + 1).min(f.raw.chars().count());
                self.follow();
            }
        }
    }

    pub fn home(&mut self) {
        self.values[self.focus].caret = 0;
        self.follow();
    }

    pub fn end(&mut self) {
        let f = &mut self.values[self.focus];
        f.caret = match self.fields[self.focus].kind {
            FieldKind::Flags { codes, .. } => codes.len().saturating_sub(1),
            _ => f.raw.chars().count(),
        };
        self.follow();
    }

    /// Steps a choice field through its codes (with an empty choice when not required).
    pub fn cycle(&mut self, dir: i32) {
        if self.in_history() {
            return;
        }
        let d = self.def();
        let FieldKind::Choice { codes, .. } = d.kind else { return };
        if !self.editable(self.focus) {
            return;
        }
        let mut opts: Vec<&str> = Vec::new();
        if !d.required {
            opts.push("");
        }
        opts.extend(codes.iter().copied());
        let n = opts.len() as i32;
        // from nothing chosen, → gives the first choice and ← the last
        let next = match opts.iter().position(|c| *c == self.values[self.focus].raw) {
            Some(cur) => ((cur as i32 + dir) % n + n) % n,
            None if dir > 0 => 0,
            None => n - 1,
        };
        self.values[self.focus].raw = opts[next as usize].to_string();
        self.edited();
    }

    pub fn toggle(&mut self) {
        if self.in_history() {
            return;
        }
        if self.def().kind != FieldKind::YesNo || !self.editable(self.focus) {
            return;
        }
        let f = &mut self.values[self.focus];
        f.raw = if f.raw == "yes" { "no" } else { "yes" }.into();
        self.edited();
    }

    // ---- type-ahead ----

    /// Applies a chosen suggestion: the field takes the record, and the other fields
    /// the record knows are filled in where the operator left them empty.
    pub fn pick(&mut self, hit: &Hit) {
        let i = self.suggest.as_ref().map(|s| s.field).unwrap_or(self.focus);
        match self.fields[i].kind {
            FieldKind::Lookup(_) => self.values[i] = Field::new(hit.label.clone(), Some(hit.id)),
            _ => {
                if let Some((_, raw, pick)) = hit.fills.iter().find(|(k, _, _)| *k == self.fields[i].key) {
                    self.values[i] = Field::new(raw.clone(), *pick);
                }
            }
        }
        for (k, raw, pick) in &hit.fills {
            let Some(j) = self.index(k) else { continue };
            let empty = self.values[j].raw.trim().is_empty() && self.values[j].pick.is_none();
            if j != i && (empty || pick.is_some_and(|p| p == hit.id)) {
                self.values[j] = Field::new(raw.clone(), *pick);
            }
        }
        self.suggest = None;
        self.dirty = true;
    }

    pub fn draft(&self) -> DraftData {
        let key = |i: usize| self.fields[i].key.to_string();
        DraftData {
            values: Vec::new(),
            named: self.values.iter().enumerate().map(|(i, v)| (key(i), v.clone())).collect(),
            focus: self.focus,
            base_id: self.base.as_ref().map(|b| b.id),
            base_version: self.base.as_ref().map(|b| b.version),
            base_values: None,
            base_named: self
                .base
                .as_ref()
                .map(|b| b.values.iter().enumerate().map(|(i, v)| (key(i), v.clone())).collect()),
        }
    }

    /// Puts a draft's text back, field by field by key; a field the draft does not
    /// know keeps what the form holds.
    pub fn restore(&mut self, d: DraftData) {
        let mut any = false;
        for i in 0..self.fields.len() {
            if let Some(v) = d.field(self.fields, self.fields[i].key) {
                self.values[i] = v.clone();
                any = true;
            }
        }
        if any {
            self.focus = d.focus.min(self.fields.len().saturating_sub(1));
            if !self.stop(self.focus) {
                self.focus = self.first_editable();
            }
            for i in 0..self.fields.len() {
                self.caret_inside(i);
            }
            self.dirty = true;
        }
    }
}

/// Byte offset of the n-th character.
pub fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map(|(b, _)| b).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::visitor;

    #[test]
    fn typing_and_editing_wide_characters() {
        let mut f = FormState::new("visitor", visitor::FIELDS);
        f.focus = f.index("name").unwrap();
        f.insert("王明");
        f.left();
        f.insert("小");
        assert_eq!(f.raw("name"), "王小明");
        assert_eq!(f.values[f.focus].caret, 2);
        f.backspace();
        assert_eq!(f.raw("name"), "王明");
        f.home();
        f.delete();
        assert_eq!(f.raw("name"), "明");
        assert!(f.dirty);
    }

    #[test]
    fn pasted_escape_sequences_never_reach_the_field() {
        let mut f = FormState::new("visitor", visitor::FIELDS);
        f.focus = f.index("name").unwrap();
        f.insert("Zhang\x1b[31mSan\x07\u{202e}");
        assert_eq!(f.raw("name"), "ZhangSan");
    }

    #[test]
    fn choices_cycle_and_take_a_first_letter() {
        let mut f = FormState::new("visitor", visitor::FIELDS);
        f.focus = f.index("visitor_class").unwrap();
        f.insert("b");
        assert_eq!(f.raw("visitor_class"), "B");
        f.right();
        assert_eq!(f.raw("visitor_class"), "C");
        f.left();
        f.left();
        assert_eq!(f.raw("visitor_class"), "A");
    }

    #[test]
    fn focus_skips_readonly_fields_and_wraps() {
        let mut f = FormState::new("visitor", visitor::FIELDS);
        f.focus = f.index("customer_id").unwrap();
        f.next_field();
        assert_eq!(f.focus, 0, "received_by is set by the program and skipped");
        f.prev_field();
        assert_eq!(f.def().key, "customer_id");
    }
}
