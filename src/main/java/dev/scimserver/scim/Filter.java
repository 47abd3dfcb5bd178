package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A SCIM filter (RFC 7644 §3.4.2.2) as an immutable tree. Consumers (the SQL translator, the
 * in-memory evaluator, the PATCH engine) are {@link Visitor}s.
 */
public sealed interface Filter {

    <R> R accept(Visitor<R> visitor);

    /** {@code path op value}; {@code value} is a JSON string, number, boolean or null. */
    record Comparison(AttributePath path, ComparisonOperator operator, JsonNode value) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.comparison(this);
        }
    }

    /** {@code path pr}. */
    record Present(AttributePath path) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.present(this);
        }
    }

    record And(Filter left, Filter right) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.and(this);
        }
    }

    record Or(Filter left, Filter right) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.or(this);
        }
    }

    record Not(Filter inner) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.not(this);
        }
    }

    /**
     * {@code attribute[filter]}: some value of the multi-valued (or complex) {@code attribute}
     * matches {@code filter}, whose paths name sub-attributes of that value.
     */
    record ValuePath(AttributePath attribute, Filter filter) implements Filter {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.valuePath(this);
        }
    }

    interface Visitor<R> {
        R comparison(Comparison filter);

        R present(Present filter);

        R and(And filter);

        R or(Or filter);

        R not(Not filter);

        R valuePath(ValuePath filter);
    }
}
