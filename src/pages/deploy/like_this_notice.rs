//! What a form filled in "like" another machine could not make alike, said above the form: what
//! the provider does not return (SSH keys, cloud-init), and where the choice differs from the
//! machine (another place, price or shape).

use leptos::prelude::*;

/// The notice; `like` names the machine, `unlike` says each thing not carried over.
#[component]
pub fn LikeThisNotice(like: String, unlike: Vec<String>) -> impl IntoView {
    view! {
        <section class="notice like-this" aria-labelledby="like-this-title">
            <h2 id="like-this-title" class="section-title">{format!("Filled in like {like}; not carried over:")}</h2>
            <ul>
                {unlike.into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}
            </ul>
        </section>
    }
}
