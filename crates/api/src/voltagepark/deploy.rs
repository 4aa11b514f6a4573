//! Deploying on Voltage Park: an instant VM from a preset (`POST /virtual-machines/instant`) or
//! a bare-metal rental (`POST /bare-metal/`).
//!
//! Optional fields are left out of the body unless the person chose them: the provider applies
//! its own defaults, and the console never sends a default of its own in their place.

use serde::{Deserialize, Serialize};

use super::bare_metal_locations::NetworkType;
use super::bearer;
use super::cloudinit::CloudInit;
use crate::request::{ApiRequest, Method};
use crate::ssh_key::parse_public_key;
use crate::FieldError;

/// Which of the organisation's registered SSH keys go onto the machine
/// (`organization_ssh_keys`). The provider's default, when the field is left out, is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum OrganizationSshKeys {
    /// `{"mode": "none"}`
    None,
    /// `{"mode": "all"}`
    All,
    /// `{"mode": "selective", "ssh_key_ids": [...]}`: the keys with these ids.
    Selective { ssh_key_ids: Vec<String> },
}

/// Body of `POST /api/v1/virtual-machines/instant`: turn a ready instant-deploy preset into
/// your VM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployInstantVm {
    /// The preset's id ([`super::presets::Preset::id`]).
    pub config_id: String,
    pub name: String,
    /// A login password (at least 8 characters); left out when not chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ssh_keys: Option<OrganizationSshKeys>,
    /// Extra public keys (OpenSSH lines) for this machine only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<String>,
    /// Left out when `None` or empty.
    #[serde(default, skip_serializing_if = "no_cloud_init")]
    pub cloud_init: Option<CloudInit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Body of `POST /api/v1/bare-metal/`: rent whole bare-metal nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployBareMetal {
    /// A bare-metal location's id ([`super::bare_metal_locations::BareMetalLocation::id`]).
    pub location_id: String,
    /// GPUs in all: a whole number of nodes times the location's GPUs per node
    /// (see [`crate::estimate::nodes_for_gpus`]).
    pub gpu_count: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ssh_keys: Option<OrganizationSshKeys>,
    /// Extra public keys (OpenSSH lines) for this rental only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_keys: Vec<String>,
    pub network_type: NetworkType,
    /// Machines of the same sub-order can reach each other; left out, the rental joins the
    /// account's default sub-order for its network type. An integer, as the document's schema
    /// says (its example body shows `"12345"` as a string, which the API also reads as 12345).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_order: Option<u64>,
    /// A storage volume to attach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The same cloud-init object as an instant VM's `cloud_init`, under another name. Left out
    /// when `None` or empty.
    #[serde(default, skip_serializing_if = "no_cloud_init")]
    pub cloudinit_script: Option<CloudInit>,
}

fn no_cloud_init(c: &Option<CloudInit>) -> bool {
    c.as_ref().is_none_or(CloudInit::is_empty)
}

/// The answer to an instant VM deploy (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstantVmDeployed {
    pub vm_id: String,
}

/// The answer to a bare-metal deploy (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BareMetalDeployed {
    pub rental_id: String,
    /// Something the person should read (the rental was still created).
    #[serde(default)]
    pub warning: Option<String>,
}

impl DeployInstantVm {
    /// A body with only the required fields; set the optional ones the person chose.
    pub fn new(config_id: impl Into<String>, name: impl Into<String>) -> Self {
        DeployInstantVm {
            config_id: config_id.into(),
            name: name.into(),
            password: None,
            organization_ssh_keys: None,
            ssh_keys: Vec::new(),
            cloud_init: None,
            tags: Vec::new(),
        }
    }

    /// What is wrong before sending, named like the provider's 422 fields so both reach the
    /// same form field ([`crate::form_errors`]). Empty when the body can be sent.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.config_id.trim().is_empty() {
            problems.push(problem("config_id", "Choose a preset."));
        }
        check_name(&self.name, &mut problems);
        if let Some(password) = &self.password {
            if password.chars().count() < 8 {
                problems.push(problem(
                    "password",
                    "The password needs at least 8 characters.",
                ));
            }
        }
        check_keys(
            self.organization_ssh_keys.as_ref(),
            &self.ssh_keys,
            &mut problems,
        );
        check_cloud_init("cloud_init", self.cloud_init.as_ref(), &mut problems);
        problems
    }
}

impl DeployBareMetal {
    /// A body with only the required fields; set the optional ones the person chose.
    pub fn new(
        location_id: impl Into<String>,
        gpu_count: u32,
        name: impl Into<String>,
        network_type: NetworkType,
    ) -> Self {
        DeployBareMetal {
            location_id: location_id.into(),
            gpu_count,
            name: name.into(),
            organization_ssh_keys: None,
            ssh_keys: Vec::new(),
            network_type,
            sub_order: None,
            storage_id: None,
            tags: Vec::new(),
            cloudinit_script: None,
        }
    }

    /// What is wrong before sending, named like the provider's 422 fields. Whole nodes are
    /// checked separately, against the location ([`crate::estimate::nodes_for_gpus`]).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.location_id.trim().is_empty() {
            problems.push(problem("location_id", "Choose a location."));
        }
        if self.gpu_count == 0 {
            problems.push(problem("gpu_count", "Choose at least one node."));
        }
        check_name(&self.name, &mut problems);
        check_keys(
            self.organization_ssh_keys.as_ref(),
            &self.ssh_keys,
            &mut problems,
        );
        check_cloud_init(
            "cloudinit_script",
            self.cloudinit_script.as_ref(),
            &mut problems,
        );
        problems
    }
}

fn problem(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: message.into(),
    }
}

fn check_name(name: &str, problems: &mut Vec<FieldError>) {
    if name.trim().is_empty() {
        problems.push(problem("name", "Give the machine a name."));
    }
}

fn check_keys(org: Option<&OrganizationSshKeys>, keys: &[String], problems: &mut Vec<FieldError>) {
    if let Some(OrganizationSshKeys::Selective { ssh_key_ids }) = org {
        if ssh_key_ids.is_empty() {
            problems.push(problem(
                "organization_ssh_keys.ssh_key_ids",
                "Choose at least one of the organisation's keys, or choose all or none.",
            ));
        }
    }
    for (i, key) in keys.iter().enumerate() {
        if let Err(e) = parse_public_key(key) {
            problems.push(problem(&format!("ssh_keys.{i}"), e.to_string()));
        }
    }
}

/// A file to write needs a path; `field` is the body's name for the cloud-init.
fn check_cloud_init(field: &str, cloud_init: Option<&CloudInit>, problems: &mut Vec<FieldError>) {
    for (i, file) in cloud_init
        .iter()
        .flat_map(|c| c.write_files.iter())
        .enumerate()
    {
        if file.path.trim().is_empty() {
            problems.push(problem(
                &format!("{field}.write_files.{i}.path"),
                "Give the file a path, e.g. /etc/motd.",
            ));
        }
    }
}

/// `POST /api/v1/virtual-machines/instant`; answers [`InstantVmDeployed`].
pub fn deploy_instant_vm(token: &str, body: &DeployInstantVm) -> ApiRequest {
    bearer(Method::Post, "/api/v1/virtual-machines/instant", token).json_body(body)
}

/// `POST /api/v1/bare-metal/`; answers [`BareMetalDeployed`].
pub fn deploy_bare_metal(token: &str, body: &DeployBareMetal) -> ApiRequest {
    bearer(Method::Post, "/api/v1/bare-metal/", token).json_body(body)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::voltagepark::cloudinit::WriteFile;
    use crate::{read_response, Provider};

    const KEY: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N...";

    /// The document's example cloud-init object (`"text"` everywhere).
    fn doc_cloud_init() -> CloudInit {
        CloudInit {
            packages: vec!["text".into()],
            write_files: vec![WriteFile {
                path: "text".into(),
                content: "text".into(),
                encoding: Some("text".into()),
                owner: Some("text".into()),
                permissions: Some("text".into()),
            }],
            runcmd: vec!["text".into()],
        }
    }

    fn body(req: &ApiRequest) -> Value {
        serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn instant_vm_body_is_the_documents_example() {
        let mut vm = DeployInstantVm::new(
            "123e4567-e89b-12d3-a456-426614174000",
            "My Instant Virtual Machine",
        );
        vm.password = Some("super_secret_instant_vm_password".into());
        vm.organization_ssh_keys = Some(OrganizationSshKeys::Selective {
            ssh_key_ids: vec!["123e4567-e89b-12d3-a456-426614174000".into()],
        });
        vm.ssh_keys = vec![KEY.into()];
        vm.cloud_init = Some(doc_cloud_init());
        vm.tags = vec!["tag1".into(), "tag2".into()];
        let req = deploy_instant_vm("tok", &vm);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v1/virtual-machines/instant");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        // Verbatim from voltage-park-on-demand-api.txt.
        let doc: Value = serde_json::from_str(
            r#"{
              "config_id": "123e4567-e89b-12d3-a456-426614174000",
              "name": "My Instant Virtual Machine",
              "password": "super_secret_instant_vm_password",
              "organization_ssh_keys": {
                "mode": "selective",
                "ssh_key_ids": [
                  "123e4567-e89b-12d3-a456-426614174000"
                ]
              },
              "ssh_keys": [
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."
              ],
              "cloud_init": {
                "packages": [
                  "text"
                ],
                "write_files": [
                  {
                    "encoding": "text",
                    "content": "text",
                    "owner": "text",
                    "path": "text",
                    "permissions": "text"
                  }
                ],
                "runcmd": [
                  "text"
                ]
              },
              "tags": [
                "tag1",
                "tag2"
              ]
            }"#,
        )
        .unwrap();
        assert_eq!(body(&req), doc);
    }

    #[test]
    fn bare_metal_body_is_the_documents_example() {
        let mut bm = DeployBareMetal::new(
            "a3111bd4-550a-47d0-838a-0a52bff2ae3f",
            1,
            "My Baremetal Rental",
            NetworkType::Infiniband,
        );
        bm.organization_ssh_keys = Some(OrganizationSshKeys::Selective {
            ssh_key_ids: vec!["123e4567-e89b-12d3-a456-426614174000".into()],
        });
        bm.ssh_keys = vec![KEY.into()];
        bm.sub_order = Some(12345);
        bm.storage_id = Some("123e4567-e89b-12d3-a456-426614174000".into());
        bm.tags = vec!["tag1".into(), "tag2".into()];
        bm.cloudinit_script = Some(doc_cloud_init());
        let req = deploy_bare_metal("tok", &bm);
        assert_eq!(req.path, "/api/v1/bare-metal/");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        // From voltage-park-on-demand-api.txt, but with `sub_order` the integer its schema
        // names ("integer", example 12345) instead of the example body's string "12345".
        let doc: Value = serde_json::from_str(
            r#"{
              "location_id": "a3111bd4-550a-47d0-838a-0a52bff2ae3f",
              "gpu_count": 1,
              "name": "My Baremetal Rental",
              "organization_ssh_keys": {
                "mode": "selective",
                "ssh_key_ids": [
                  "123e4567-e89b-12d3-a456-426614174000"
                ]
              },
              "ssh_keys": [
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."
              ],
              "network_type": "infiniband",
              "sub_order": 12345,
              "storage_id": "123e4567-e89b-12d3-a456-426614174000",
              "tags": [
                "tag1",
                "tag2"
              ],
              "cloudinit_script": {
                "packages": [
                  "text"
                ],
                "write_files": [
                  {
                    "encoding": "text",
                    "content": "text",
                    "owner": "text",
                    "path": "text",
                    "permissions": "text"
                  }
                ],
                "runcmd": [
                  "text"
                ]
              }
            }"#,
        )
        .unwrap();
        assert_eq!(body(&req), doc);
    }

    #[test]
    fn fields_not_chosen_are_left_out() {
        let vm = DeployInstantVm {
            cloud_init: Some(CloudInit::default()),
            ..DeployInstantVm::new("p1", "box")
        };
        assert_eq!(
            body(&deploy_instant_vm("t", &vm)),
            json!({"config_id": "p1", "name": "box"})
        );
        let bm = DeployBareMetal::new("l1", 8, "nodes", NetworkType::Ethernet);
        assert_eq!(
            body(&deploy_bare_metal("t", &bm)),
            json!({"location_id": "l1", "gpu_count": 8, "name": "nodes", "network_type": "ethernet"})
        );
        // A cloud-init with only commands sends only commands.
        let vm = DeployInstantVm {
            cloud_init: Some(CloudInit {
                runcmd: vec!["nvidia-smi".into()],
                ..CloudInit::default()
            }),
            ..DeployInstantVm::new("p1", "box")
        };
        assert_eq!(
            body(&deploy_instant_vm("t", &vm))["cloud_init"],
            json!({"runcmd": ["nvidia-smi"]})
        );
    }

    #[test]
    fn organization_key_modes_serialise_exactly() {
        let as_json = |m: OrganizationSshKeys| serde_json::to_string(&m).unwrap();
        assert_eq!(as_json(OrganizationSshKeys::None), r#"{"mode":"none"}"#);
        assert_eq!(as_json(OrganizationSshKeys::All), r#"{"mode":"all"}"#);
        assert_eq!(
            as_json(OrganizationSshKeys::Selective {
                ssh_key_ids: vec!["a".into(), "b".into()]
            }),
            r#"{"mode":"selective","ssh_key_ids":["a","b"]}"#
        );
        let back: OrganizationSshKeys = serde_json::from_str(r#"{"mode":"all"}"#).unwrap();
        assert_eq!(back, OrganizationSshKeys::All);
    }

    #[test]
    fn responses_are_read_as_documented() {
        let vm: InstantVmDeployed = read_response(
            Provider::VoltagePark,
            201,
            r#"{"vm_id": "123e4567-e89b-12d3-a456-426614174000"}"#,
        )
        .unwrap();
        assert_eq!(vm.vm_id, "123e4567-e89b-12d3-a456-426614174000");
        let bm: BareMetalDeployed = read_response(
            Provider::VoltagePark,
            201,
            r#"{"rental_id": "123e4567-e89b-12d3-a456-426614174000", "warning": "text"}"#,
        )
        .unwrap();
        assert_eq!(bm.warning.as_deref(), Some("text"));
        let quiet: BareMetalDeployed =
            serde_json::from_str(r#"{"rental_id": "r", "warning": null}"#).unwrap();
        assert_eq!(quiet.warning, None);
    }

    #[test]
    fn problems_are_named_like_the_providers_fields() {
        let mut vm = DeployInstantVm::new("p1", "  ");
        vm.password = Some("short".into());
        vm.organization_ssh_keys = Some(OrganizationSshKeys::Selective {
            ssh_key_ids: vec![],
        });
        vm.ssh_keys = vec![
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc"
                .into(),
            "-----BEGIN OPENSSH PRIVATE KEY-----".into(),
        ];
        let fields: Vec<String> = vm.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "password",
                "organization_ssh_keys.ssh_key_ids",
                "ssh_keys.1"
            ]
        );
        let mut bm = DeployBareMetal::new("", 0, "n", NetworkType::Ethernet);
        bm.cloudinit_script = Some(CloudInit {
            write_files: vec![super::super::cloudinit::WriteFile {
                content: "no path".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let fields: Vec<String> = bm.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "location_id",
                "gpu_count",
                "cloudinit_script.write_files.0.path"
            ]
        );
        let mut ok = DeployInstantVm::new("p1", "box");
        ok.password = Some("12345678".into());
        assert_eq!(ok.problems(), []);
    }
}
