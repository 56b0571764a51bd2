//! The dashboard at `/`: what a business owner opens first. It holds no
//! figures of its own; every module contributes its panels (open invoices,
//! payments, revenue, reminders, notifications, recent customers) through
//! its descriptor, each loaded for the signed-in staff member.

pub mod html;

use super::ModuleDescriptor;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "dashboard",
    html: html::routes,
    nav: &[super::NavLink {
        href: "/",
        label_key: "nav-dashboard",
        icon: "house",
        group: super::NavGroup::Start,
        area: None,
        order: 0,
    }],
    ..ModuleDescriptor::BASE
};
