package io.sluice.sink.jdbc;

import static io.sluice.sink.jdbc.JdbcSinkOptions.*;

import io.sluice.core.option.ConnectorOptions;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach the database: URL, user, password and driver, and connections opened the same
 * way before start (preflight), on the driver and in every task. The driver is instantiated
 * directly when its class is known (PostgreSQL's, or option {@code driver}), so that a driver
 * in a plugin's or {@code --jars}' class loader is found where {@code DriverManager} would not
 * look; otherwise {@code DriverManager} chooses by URL. Serializable, to reach the tasks: null
 * stands for an option not set.
 */
record Database(String url, String user, String password, String driver, String client) implements Serializable {
    private static final String POSTGRESQL_DRIVER = "org.postgresql.Driver";
    /** Seconds a connection attempt may take: a database that does not answer is an error, not a hang. */
    private static final String CONNECT_SECONDS = "10";

    static Database of(ConnectorOptions options, String client) {
        return new Database(
                options.get(URL),
                options.find(USER).orElse(null),
                options.find(PASSWORD).orElse(null),
                options.find(DRIVER).orElse(null),
                client);
    }

    /** The URL with any password masked, for messages. */
    String shownUrl() {
        return JdbcUrls.masked(url);
    }

    /** {@code the database at jdbc:postgresql://db:5432/shop as user 'app'}: who is asked, for messages. */
    String who() {
        return "the database at " + shownUrl() + (user == null ? "" : " as user '" + user + "'");
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        boolean postgres = url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
        if (postgres) {
            putUnlessInUrl(properties, "connectTimeout", CONNECT_SECONDS);
            putUnlessInUrl(properties, "loginTimeout", CONNECT_SECONDS);
            putUnlessInUrl(properties, "ApplicationName", client);
        }
        Optional<String> driverClass =
                Optional.ofNullable(driver).or(() -> postgres ? Optional.of(POSTGRESQL_DRIVER) : Optional.empty());
        Connection connection;
        if (driverClass.isPresent()) {
            connection = instantiate(driverClass.get()).connect(url, properties);
            if (connection == null) {
                throw new SQLException(
                        "the JDBC driver " + driverClass.get() + " does not accept the URL " + shownUrl()
                                + ": check the URL's prefix, or option 'driver'",
                        "08001");
            }
        } else {
            try {
                connection = DriverManager.getConnection(url, properties);
            } catch (SQLException e) {
                if ("08001".equals(e.getSQLState())
                        && e.getMessage() != null
                        && e.getMessage().startsWith("No suitable driver")) {
                    throw new SQLException(
                            "no JDBC driver on the class path accepts the URL " + shownUrl()
                                    + ": add the database's driver jar (sluice run --jars DRIVER.jar), or name its class in"
                                    + " option 'driver'",
                            "08001",
                            e);
                }
                throw e;
            }
        }
        return connection;
    }

    private void putUnlessInUrl(Properties properties, String name, String value) {
        if (!url.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT) + "=")) {
            properties.setProperty(name, value);
        }
    }

    private static Driver instantiate(String className) throws SQLException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> type = Class.forName(className, true, loader != null ? loader : Database.class.getClassLoader());
            return (Driver) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            try {
                return (Driver) Class.forName(className, true, Database.class.getClassLoader())
                        .getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | ClassCastException again) {
                throw new SQLException(
                        "the JDBC driver class " + className + " is not on the class path: add its jar"
                                + " (sluice run --jars DRIVER.jar)",
                        "08001",
                        e);
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new SQLException(
                    "the class " + className + " is not a JDBC driver that can be created: " + e, "08001", e);
        }
    }
}
