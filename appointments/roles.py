from branches.roles import Role

ROLE_PERMISSIONS = {
    Role.TELLER: ["appointments.view_appointment"],
    Role.WEALTH_MANAGER: ["appointments.view_appointment"],
    Role.LOBBY_MANAGER: ["appointments.view_appointment"],
    Role.BRANCH_ADMIN: [
        "appointments.view_appointment",
        "appointments.view_counterbreak",
        "appointments.add_counterbreak",
        "appointments.change_counterbreak",
        "appointments.delete_counterbreak",
    ],
}
