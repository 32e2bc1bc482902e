# Sourced by test.sh (bash): a private RabbitMQ node for the cluster tests, like its private PostgreSQL. Its node
# name, ports (AMQP, distribution, epmd), Erlang cookie, data and logs are its own, under $1, so it never meets
# the system's RabbitMQ service or another run's node. start_rabbitmq exports MILLWRIGHT_TEST_AMQP;
# stop_rabbitmq ends the node and its epmd (the data is thrown away with the directory).
#
# Debian's package is 3.10; its /usr/sbin wrappers switch to the rabbitmq user and /var/lib/rabbitmq, so the
# scripts under /usr/lib/rabbitmq/bin are called directly. The Erlang schedulers do not busy-wait: on a
# machine whose cores are busy with the build and the tests, spinning schedulers slow everyone, the node too.
RABBIT_BIN=/usr/lib/rabbitmq/bin
RABBIT_PID=

rabbit_env() {
    local dir=$1 port=$2
    export HOME="$dir/home" \
        RABBITMQ_NODENAME="mwtest$port@localhost" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$port" \
        RABBITMQ_DIST_PORT=$((port + 1)) \
        ERL_EPMD_PORT=$((port + 2)) \
        ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_MNESIA_BASE="$dir/mnesia" \
        RABBITMQ_LOG_BASE="$dir/log" \
        RABBITMQ_PID_FILE="$dir/rabbit.pid" \
        RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
        RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
        RABBITMQ_ENABLED_PLUGINS="" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="+S 2:2 +A 8 +sbwt none +sbwtdcpu none +sbwtdio none" \
        RABBITMQ_CTL_ERL_ARGS="+S 1:1 +sbwt none"
}

# start_rabbitmq DIR: launches a node on the first free loopback port triple from 55600, in the background, so
# that it boots while the tests build; await_rabbitmq waits for it. Returns 1 when it cannot be launched.
start_rabbitmq() {
    local base=$1 port dir
    [ -x "$RABBIT_BIN/rabbitmq-server" ] || return 1
    for port in $(seq 55600 3 55660); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((port + 2))") 2>/dev/null; then continue; fi
        dir="$base/rabbit-$port"
        mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
        : >"$dir/rabbitmq-env.conf"
        echo '[].' >"$dir/enabled_plugins"
        echo '[].' >"$dir/advanced.config"
        # A small node: no disk-space alarm on a nearly full CI disk; guest may log in (it listens on loopback only).
        printf 'disk_free_limit.absolute = 1MB\nloopback_users = none\n' >"$dir/rabbitmq.conf"
        head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie"
        chmod 400 "$dir/home/.erlang.cookie"
        (
            rabbit_env "$dir" "$port"
            exec "$RABBIT_BIN/rabbitmq-server" >"$dir/log/stdout.log" 2>&1
        ) &
        RABBIT_PID=$!
        RABBIT_DIR=$dir
        RABBIT_PORT=$port
        return 0
    done
    return 1
}

# await_rabbitmq: waits (at most 300 s, for a loaded machine) until the node accepts AMQP connections (its listener opens last in
# its boot) and exports MILLWRIGHT_TEST_AMQP; returns 1 if the node died or never listened.
await_rabbitmq() {
    [ -n "$RABBIT_PID" ] || return 1
    local started=$SECONDS
    until (exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_PORT") 2>/dev/null; do
        if ! kill -0 "$RABBIT_PID" 2>/dev/null || [ $((SECONDS - started)) -ge 300 ]; then
            tail -n 20 "$RABBIT_DIR/log/stdout.log" 2>/dev/null
            stop_rabbitmq
            return 1
        fi
        sleep 0.1
    done
    export MILLWRIGHT_TEST_AMQP="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
    echo "test.sh: RabbitMQ $(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-* | sed 's/.*-//') on 127.0.0.1:$RABBIT_PORT (waited $((SECONDS - started)) s for it)"
}

stop_rabbitmq() {
    [ -n "$RABBIT_PID" ] || return 0
    # The script stays as the VM's parent; the VM's own pid is in the pid file.
    [ -s "$RABBIT_DIR/rabbit.pid" ] && kill -9 "$(cat "$RABBIT_DIR/rabbit.pid")" 2>/dev/null
    kill -9 "$RABBIT_PID" 2>/dev/null
    wait "$RABBIT_PID" 2>/dev/null
    # epmd was started by this node on its private port and serves no one else. It refuses to stop while it
    # still lists the node, which it drops once it sees the dead VM's connection close.
    local i
    for i in $(seq 1 50); do
        epmd -port $((RABBIT_PORT + 2)) -kill >/dev/null 2>&1 || break
        epmd -port $((RABBIT_PORT + 2)) -names >/dev/null 2>&1 || break
        sleep 0.1
    done
    RABBIT_PID=
}
