//! Drafts: every open form kept in the store, restored at the next log-in.

use super::form::{DraftData, FormState};
use super::{Level, Model, Phase};

impl Model {
    /// Writes every changed open form to its draft.
    pub(super) fn save_drafts(&mut self) -> bool {
        let now = self.now;
        let Phase::Desk(d) = &mut self.phase else { return true };
        let op = d.op.id;
        let mut failed = None;
        let mut kept = true;
        for v in d.views_mut() {
            let Some(f) = &v.form else { continue };
            if !f.dirty {
                continue;
            }
            let data = serde_json::to_string(&f.draft()).unwrap_or_default();
            if v.draft_saved.as_deref() == Some(data.as_str()) {
                continue;
            }
            let slot = v.slot();
            let base = f.base.as_ref().map(|b| b.id);
            match self.store.save_draft(op, &slot, v.def.name, base, &data, now) {
                Ok(()) => v.draft_saved = Some(data),
                // another terminal is writing: the draft is kept at the next turn
                Err(crate::store::StoreError::Busy) => kept = false,
                Err(e) => {
                    kept = false;
                    failed = Some(e.msg());
                }
            }
        }
        if let Some(m) = failed {
            self.say(m, Level::Error);
        }
        kept
    }

    /// Keeps every open form in its draft before the forms go (the program ends, another
    /// operator takes the terminal), waiting for another terminal's write as long as it
    /// takes, up to `QUIT_WAIT`; false if one could not be kept.
    pub(super) fn keep_drafts_before_leaving(&mut self) -> bool {
        let _ = self.store.set_busy_timeout(super::QUIT_WAIT);
        let kept = self.save_drafts();
        let _ = self.store.set_busy_timeout(super::UI_WAIT);
        kept
    }

    /// Reopens this operator's drafts in their registers, newest first, one per
    /// register; the others wait in Today. Returns how many.
    pub(super) fn restore_drafts(&mut self) -> usize {
        let Some(op) = self.desk().map(|d| d.op.id) else { return 0 };
        let mut n = 0;
        for draft in self.store.drafts(op).unwrap_or_default() {
            let free = self
                .desk_mut()
                .and_then(|d| d.show(&draft.register).then(|| d.view().is_some_and(|v| v.form.is_none())));
            if free == Some(true) && self.open_draft(&draft) {
                n += 1;
            }
        }
        n
    }

    /// Opens one draft in its register's form (the register's tab must be showing).
    pub(super) fn open_draft(&mut self, draft: &crate::store::Draft) -> bool {
        let Ok(data) = serde_json::from_str::<DraftData>(&draft.data) else { return false };
        let Some(def) = crate::domain::register(&draft.register) else { return false };
        let mut f = match draft.record_id {
            Some(id) => match self.store.get(def, id) {
                Ok(current) => {
                    // The form shows the record as it is now, with the draft's text over
                    // it; its base stays the version the draft began from, so saving
                    // merges field by field with what others saved meanwhile.
                    let mut f = self.record_form(def, &current);
                    if let (Some(v), Some(values)) = (data.base_version, data.base_for(def.fields))
                        && let Some(b) = f.base.as_mut()
                    {
                        b.version = v;
                        b.values = values;
                    }
                    f
                }
                Err(_) => return false,
            },
            None => {
                let mut f = FormState::new(def.name, def.fields);
                f.lock(self.locks(def, None));
                f
            }
        };
        f.restore(data);
        if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
            v.put_form(f, Some(draft.slot.clone()));
            v.draft_saved = Some(draft.data.clone());
        }
        self.refresh_link_note();
        true
    }
}
