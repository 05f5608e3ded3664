package dev.claudemaxapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ProxyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataUrlTest {
    private static final String PARAM = "messages[0].content[1].image_url.url";

    @Test
    void readsABase64PngDataUrl() {
        assertThat(DataUrl.image("data:image/png;base64,iVBORw0KGgo=", PARAM))
                .isEqualTo(new ContentBlock.Image("image/png", "iVBORw0KGgo="));
    }

    @Test
    void lowerCasesTheMediaType() {
        assertThat(DataUrl.image("data:IMAGE/JPEG;base64,/9j/4A==", PARAM))
                .isEqualTo(new ContentBlock.Image("image/jpeg", "/9j/4A=="));
    }

    @Test
    void skipsMediaTypeParametersBeforeBase64() {
        assertThat(DataUrl.image("data:image/webp;name=cat.webp;base64,UklGRg==", PARAM))
                .isEqualTo(new ContentBlock.Image("image/webp", "UklGRg=="));
    }

    @Test
    void keepsTheDataByteForByte() {
        String data = "R0lGODlh\nAQABAAAAACw=";

        assertThat(DataUrl.image("data:image/gif;base64," + data, PARAM).base64Data()).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com/cat.png",
        "data:image/png,not-base64",
        "image/png;base64,AAAA",
        "",
    })
    void refusesAnythingButABase64DataUrlNamingTheParam(String url) {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> DataUrl.image(url, PARAM));

        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.param()).contains(PARAM);
        assertThat(refused.getMessage())
                .isEqualTo("Only base64 data URLs (data:image/png;base64,...) are supported for images.");
    }

    @Test
    void refusesAMissingUrl() {
        ProxyException refused = catchThrowableOfType(ProxyException.class, () -> DataUrl.image(null, PARAM));

        assertThat(refused.param()).contains(PARAM);
        assertThat(refused.getMessage()).isEqualTo(PARAM + " is required.");
    }

    @Test
    void refusesUnsupportedImageTypesListingTheSupportedOnes() {
        ProxyException refused = catchThrowableOfType(ProxyException.class,
                () -> DataUrl.image("data:image/svg+xml;base64,PHN2Zz4=", PARAM));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.param()).contains(PARAM);
        assertThat(refused.getMessage()).isEqualTo(
                "Unsupported image type 'image/svg+xml'; use one of image/gif, image/jpeg, image/png, image/webp.");
    }

    @Test
    void refusesEmptyImageData() {
        ProxyException refused = catchThrowableOfType(ProxyException.class,
                () -> DataUrl.image("data:image/png;base64,", PARAM));

        assertThat(refused.param()).contains(PARAM);
        assertThat(refused.getMessage()).isEqualTo("The image data is empty.");
    }

    @Test
    void checksMediaTypeAndDataGivenSeparately() {
        assertThat(DataUrl.image("image/gif", "R0lG", "source"))
                .isEqualTo(new ContentBlock.Image("image/gif", "R0lG"));
        assertThat(catchThrowableOfType(ProxyException.class, () -> DataUrl.image("image/bmp", "Qk0=", "source"))
                .param()).contains("source");
    }

    @Test
    void readsAUrlWithThousandsOfParametersWithoutRecursing() {
        String url = "data:image/png" + ";a=1".repeat(5000) + ";base64,iVBORw0KGgo=";

        assertThat(DataUrl.image(url, "url")).isEqualTo(new ContentBlock.Image("image/png", "iVBORw0KGgo="));
    }
}
