package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.claudemaxapi.testing.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerProbeTest {

    @Test
    void writesAddressesAsTheKernelTablesDo() throws Exception {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);

        assertThat(PeerProbe.forms(local)).containsExactly("0100007F:1F90",
                "0000000000000000FFFF00000100007F:1F90");
        assertThat(PeerProbe.forms(new InetSocketAddress(InetAddress.getByName("::1"), 443)))
                .containsExactly("00000000000000000000000001000000:01BB");
    }

    @Test
    void seesAClientHangUpWithoutWritingToIt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            PeerProbe.Watch watch = new PeerProbe().watch((InetSocketAddress) accepted.getLocalSocketAddress(),
                    (InetSocketAddress) accepted.getRemoteSocketAddress());
            assertThat(watch.clientGone()).isFalse();

            client.close();

            Await.until(Duration.ofSeconds(5), "the hang-up is seen", watch::clientGone);
        }
    }
}
