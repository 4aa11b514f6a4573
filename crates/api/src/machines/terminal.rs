//! For the terminal: SSH commands, an `~/.ssh/config` block, and MPI / NCCL hostfiles.

use super::machine::{Machine, SshTarget};

/// `ssh -p 20040 ubuntu@203.0.113.9`, or `ssh ubuntu@68.25.82.82` without a port.
pub fn ssh_command(t: &SshTarget) -> String {
    match t.port {
        Some(port) if port != 22 => format!("ssh -p {port} {}", login(t)),
        _ => format!("ssh {}", login(t)),
    }
}

/// `user@host` as one shell word: a user or host the provider sent with a space or a `;` is
/// quoted, never run.
fn login(t: &SshTarget) -> String {
    crate::shell::quote(&format!("{}@{}", t.user, t.host)).into_owned()
}

/// A `Host` alias from a name: letters, digits, `.`, `_` and `-` kept, the rest `-`.
fn alias(name: &str) -> String {
    let a: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if a.is_empty() {
        "machine".into()
    } else {
        a
    }
}

/// An `~/.ssh/config` block with one `Host` per VM and per bare-metal node of `machines`,
/// named after the machine (`-node2` for further nodes; a repeated name gets `-2`, `-3`...).
pub fn ssh_config(machines: &[&Machine]) -> String {
    let mut out = String::new();
    let mut used: Vec<String> = Vec::new();
    for m in machines {
        for (i, t) in m.ssh.iter().enumerate() {
            let base = if m.ssh.len() > 1 {
                format!("{}-node{}", alias(&m.name), i + 1)
            } else {
                alias(&m.name)
            };
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            used.push(name.clone());
            out.push_str(&format!(
                "# {} · {} · {}\nHost {name}\n    HostName {}\n    User {}\n",
                m.provider.display_name(),
                m.account.name,
                m.kind.label(),
                t.host,
                t.user
            ));
            if let Some(port) = t.port.filter(|p| *p != 22) {
                out.push_str(&format!("    Port {port}\n"));
            }
            out.push('\n');
        }
    }
    out
}

/// A hostfile of a rental's nodes' private addresses for MPI / NCCL jobs: one line per node,
/// with `slots=` its GPU count when known (Open MPI's format; MPICH reads `host:slots`).
pub fn hostfile(m: &Machine) -> String {
    m.ssh
        .iter()
        .filter_map(|t| t.private_ip.as_deref())
        .map(|ip| match m.gpus_per_node {
            Some(slots) => format!("{ip} slots={slots}\n"),
            None => format!("{ip}\n"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::AccountRef;
    use crate::voltagepark::bare_metal;

    fn rental(name: &str) -> Machine {
        let (r, raw) = bare_metal::read_rental(serde_json::json!({
            "id": "r", "name": name, "status": "Running", "power_status": "Running", "node_count": 2,
            "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8},
            "username": "ubuntu",
            "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"},
                                {"public_ip": "68.25.82.83", "private_ip": "192.168.0.2"}]
        }))
        .unwrap();
        Machine::from_rental(
            &AccountRef {
                id: 1,
                name: "prod".into(),
            },
            r,
            raw,
        )
    }

    #[test]
    fn ssh_config_has_a_host_per_node_and_unique_names() {
        let a = rental("pretrain cluster");
        let b = rental("pretrain cluster");
        let config = ssh_config(&[&a, &b]);
        assert!(config
            .contains("Host pretrain-cluster-node1\n    HostName 68.25.82.82\n    User ubuntu\n"));
        assert!(config.contains("Host pretrain-cluster-node2\n"));
        assert!(config.contains("Host pretrain-cluster-node1-2\n"));
        assert!(!config.contains("Port"));
    }

    #[test]
    fn hostfile_lists_private_addresses_with_slots() {
        assert_eq!(
            hostfile(&rental("x")),
            "192.168.0.1 slots=8\n192.168.0.2 slots=8\n"
        );
    }

    #[test]
    fn ssh_command_leaves_out_port_22() {
        let t = SshTarget {
            label: "x".into(),
            user: "u".into(),
            source: crate::machines::LoginSource::Default,
            host: "h".into(),
            port: Some(22),
            private_ip: None,
        };
        assert_eq!(ssh_command(&t), "ssh u@h");
    }

    #[test]
    fn ssh_command_quotes_user_and_host() {
        let t = SshTarget {
            label: "x".into(),
            user: "ubuntu; rm -rf ~".into(),
            source: crate::machines::LoginSource::Default,
            host: "203.0.113.7".into(),
            port: Some(2222),
            private_ip: None,
        };
        assert_eq!(
            ssh_command(&t),
            "ssh -p 2222 'ubuntu; rm -rf ~@203.0.113.7'"
        );
    }
}
