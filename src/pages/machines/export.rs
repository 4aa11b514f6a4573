//! Export for the terminal: an `~/.ssh/config` block for the machines shown, and each shown
//! rental's hostfile.

use cloudpane_api::machines::{hostfile, ssh_config, MachineKind};
use leptos::prelude::*;

use super::fleet::Fleet;
use crate::components::download::download_text;
use crate::components::CopyButton;

#[component]
pub fn ExportButton(rows: Memo<Vec<usize>>) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let open = RwSignal::new(false);
    // Worked out only while the dialog is open: for 5,000 machines it is a large text, and the
    // rows change with every keystroke in the filter.
    let config = Signal::derive(move || {
        if !open.get() {
            return String::new();
        }
        fleet
            .machines
            .with(|m| rows.with(|r| ssh_config(&r.iter().map(|&i| &m[i]).collect::<Vec<_>>())))
    });
    let hostfiles = move || {
        if !open.get() {
            return Vec::new();
        }
        fleet.machines.with(|m| {
            rows.with(|r| {
                r.iter()
                    .map(|&i| &m[i])
                    .filter(|m| m.kind == MachineKind::BareMetal)
                    .map(|m| (m.name.clone(), hostfile(m)))
                    .filter(|(_, h)| !h.is_empty())
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <button type="button" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            "Export for the terminal"
        </button>
        {move || open.get().then(|| view! {
        <section id="export-panel" class="export-panel" aria-label="Export for the terminal">
            <p>"An " <code>"~/.ssh/config"</code> " block for the machines shown, one " <code>"Host"</code> " per VM and per bare-metal node. Append it to your SSH configuration, then " <code>"ssh NAME"</code> "."</p>
            <label for="export-ssh-config">"SSH configuration"</label>
            <textarea id="export-ssh-config" readonly rows="10" class="code-block" prop:value=move || config.get()></textarea>
            <p>
                <CopyButton text=config label="Copy the SSH configuration"/>
                " "
                <button type="button" on:click=move |_| { let _ = download_text("cloudpane-ssh-config", &config.get_untracked(), "text/plain"); }>
                    "Download"
                </button>
            </p>
            {move || hostfiles().into_iter().map(|(name, hosts)| {
                let file = format!("hostfile-{name}");
                let text = hosts.clone();
                view! {
                    <h3>{format!("Hostfile of {name}")}</h3>
                    <p class="help">"The nodes' private addresses, for MPI or NCCL jobs (Open MPI's format)."</p>
                    <pre class="code-block">{hosts.clone()}</pre>
                    <p>
                        <CopyButton text=hosts.clone() label=format!("Copy the hostfile of {name}")/>
                        " "
                        <button type="button" on:click=move |_| { let _ = download_text(&file, &text, "text/plain"); }>
                            {format!("Download hostfile-{name}")}
                        </button>
                    </p>
                }
            }).collect_view()}
            <p><button type="button" on:click=move |_| open.set(false)>"Close the export"</button></p>
        </section>
        })}
    }
}
