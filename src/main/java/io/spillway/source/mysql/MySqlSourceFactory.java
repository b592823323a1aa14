package io.spillway.source.mysql;

import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;

/** {@code mysql://..., mariadb://...}: see {@link MySqlSource}. */
public final class MySqlSourceFactory implements SourceFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("mysql", "mariadb");
    }

    @Override
    public String usage() {
        return "mysql://..., mariadb://...";
    }

    @Override
    public Set<String> secretOptions() {
        return Set.of("password", "password1", "password2", "password3", "trustcertificatekeystorepassword", "clientcertificatekeystorepassword");
    }

    @Override
    public Source open(String uri, Map<String, String> env) {
        return MySqlSource.open(uri);
    }
}
