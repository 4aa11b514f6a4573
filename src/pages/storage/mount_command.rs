use cloudpane_api::voltagepark::storage::mount_command;
use leptos::prelude::*;

use crate::components::CopyButton;

/// The commands that mount the volume over NFS from its `vip`, ready to copy.
#[component]
pub fn MountCommand(#[prop(into)] vip: String, #[prop(into)] name: String) -> impl IntoView {
    let command = mount_command(&vip, &name);
    let label = format!("Copy the mount command of {name}");
    view! {
        <div class="mount-command">
            <p class="help">"To mount it on a rental's node (run there, as a user with sudo):"</p>
            <pre class="code-block"><code>{command.clone()}</code></pre>
            <CopyButton text=Signal::stored(command) label/>
        </div>
    }
}
