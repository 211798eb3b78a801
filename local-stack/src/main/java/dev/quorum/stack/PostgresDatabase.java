package dev.quorum.stack;

import javax.sql.DataSource;

/** One PostgreSQL database that a test or the embedded launcher connects to. */
public interface PostgresDatabase {

    String jdbcUrl();

    String username();

    String password();

    /** An unpooled data source for {@link #jdbcUrl()}; wrap it in a pool if you need one. */
    DataSource dataSource();
}
