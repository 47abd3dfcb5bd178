package dev.scimserver.directory;

/** A member's status in the workspace, as ToolJet's organization_users.status. */
public enum MemberStatus {
    ACTIVE("active"),
    INVITED("invited"),
    ARCHIVED("archived");

    private final String value;

    MemberStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static MemberStatus fromValue(String value) {
        for (MemberStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalStateException("unknown member status in the database: " + value);
    }
}
