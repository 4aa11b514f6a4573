//! What the two deploy forms share: the page around the form (the catalog loaded, or why not),
//! the draft notice, and the flow from review to a sent-once deploy and its outcome.

use cloudpane_api::machines::MachineKind;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::catalog::{use_catalog, Catalog, UnreadableCatalog};
use super::deploy_send::{resume_check, send_deploy, Outcome, OutcomeView};
use super::form_errors::Errors;
use super::review::{Review, ReviewPanel};
use crate::components::draft;
use crate::components::{ErrorPanel, Loading, NoAccount, PageHeader, SendOnce};
use crate::state::use_app;

/// A deploy form's page: its title, the way back to the board, and the form once the catalog
/// is read.
#[component]
pub fn DeployPage(
    title: &'static str,
    summary: &'static str,
    /// What is loading, in words: "the presets".
    what: &'static str,
    form: fn(Catalog) -> AnyView,
) -> impl IntoView {
    let state = use_app();
    let catalog = use_catalog();
    let has_account = move || state.account_for(Provider::VoltagePark).is_some();
    view! {
        <PageHeader acting_as=Provider::VoltagePark title=title summary=summary/>
        <p><a href=crate::base_path::app_href("/deploy")>"← All the ways to get GPUs now"</a></p>
        <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::VoltagePark/> }>
            {move || match catalog.get() {
                None | Some(None) => view! { <Loading what=what/> }.into_any(),
                Some(Some(Err(error))) => view! { <ErrorPanel error on_retry=move |_| catalog.refetch()/> }.into_any(),
                Some(Some(Ok(found))) => view! {
                    {form(found.clone())}
                    <UnreadableCatalog catalog=found/>
                }
                .into_any(),
            }}
        </Show>
    }
}

/// One deploy's way from the form to the provider's answer.
#[derive(Clone, Copy)]
pub struct DeployFlow {
    pub form: &'static str,
    pub kind: MachineKind,
    pub review: RwSignal<Option<Review>>,
    pub outcome: RwSignal<Outcome>,
    pub once: SendOnce,
    /// The form's errors, shown in the review too when the provider refuses the deploy.
    pub errors: Errors,
    /// True while this tab keeps a draft of the form.
    pub draft_kept: RwSignal<bool>,
}

impl DeployFlow {
    /// The flow of the form `form` (its draft's name); checks a deploy a reload interrupted.
    pub fn new(form: &'static str, kind: MachineKind, errors: Errors, had_draft: bool) -> Self {
        let flow = DeployFlow {
            form,
            kind,
            review: RwSignal::new(None),
            outcome: RwSignal::new(Outcome::Idle),
            once: SendOnce::new(),
            errors,
            draft_kept: RwSignal::new(had_draft),
        };
        resume_check(use_app(), kind, flow.outcome);
        // A refusal stays in the review, in its error summary, and marks the fields the provider
        // named (a link in the summary goes back to each); a deploy that happened ends the draft.
        Effect::new(move |_| match flow.outcome.get() {
            Outcome::Refused(e) => errors.show_refusal(&e),
            Outcome::Deployed { .. } | Outcome::Happened(_) => {
                draft::discard(form);
                flow.draft_kept.set(false);
            }
            _ => {}
        });
        flow
    }

    /// Keeps `draft` for a reload, unless the form is being emptied.
    pub fn save_draft<T: serde::Serialize>(&self, draft: &T) {
        draft::save(self.form, draft);
        self.draft_kept.set(true);
    }

    pub fn discard_draft(&self) {
        draft::discard(self.form);
        self.draft_kept.set(false);
    }

    /// Sends the reviewed request, once: claimed synchronously, so a second click or Enter held
    /// down finds it taken.
    pub fn deploy(&self, name: String) {
        let state = use_app();
        if !self.once.claim() {
            return;
        }
        let (Some(connection), Some(account), Some(review)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
            self.review.get_untracked(),
        ) else {
            self.once.release();
            return;
        };
        send_deploy(
            state,
            connection,
            account,
            review.request,
            self.kind,
            name,
            self.once,
            self.outcome,
        );
    }

    /// True while the review is shown. Tracked.
    pub fn reviewing(&self) -> bool {
        self.review.with(Option::is_some)
    }

    /// True once the deploy is sent (and until the person tries again). Tracked.
    pub fn sent(&self) -> bool {
        !matches!(self.outcome.get(), Outcome::Idle | Outcome::Refused(_))
    }
}

/// Says the draft is kept, with a way to discard it; above a deploy form.
#[component]
pub fn DraftNotice(flow: DeployFlow, on_discard: Callback<()>) -> impl IntoView {
    view! {
        <Show when=move || flow.draft_kept.get() && !flow.sent()>
            <p class="notice draft-notice">"Your draft is kept in this tab (never a password), so a reload loses nothing. "
                <button type="button" class="link" on:click=move |_| on_discard.run(())>"Discard the draft"</button></p>
        </Show>
    }
}

/// The review and the outcome, below a deploy form.
#[component]
pub fn DeployFlowView(
    flow: DeployFlow,
    on_deploy: Callback<()>,
    /// Checks the form and opens the review (what "Review the deploy" does).
    on_review: Callback<()>,
) -> impl IntoView {
    // Nothing is sent from here: the review opens again, and only its Deploy button sends.
    let try_again = Callback::new(move |_| {
        flow.outcome.set(Outcome::Idle);
        flow.review.set(None);
        on_review.run(());
    });
    view! {
        {move || flow.review.get().filter(|_| !flow.sent()).map(|r| view! {
            <ReviewPanel review=r busy=Signal::derive(move || flow.once.busy())
                problems=flow.errors.problems()
                on_deploy=on_deploy
                on_back=Callback::new(move |_| flow.review.set(None))/>
        })}
        <OutcomeView outcome=flow.outcome kind=flow.kind try_again/>
    }
}
