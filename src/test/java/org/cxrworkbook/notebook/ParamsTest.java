package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cxrworkbook.train.SettingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notebook parameters are read strictly: a bad value is refused with a message naming it, never defaulted. */
class ParamsTest {

    private static final String[] NAMES = {"PT_SIZE", "PT_FLAG", "PT_RATE", "PT_DIR", "PT_NAME", "EPOCHS"};

    @AfterEach
    void clear() {
        for (String n : NAMES) {
            System.clearProperty(n);
        }
    }

    @Test
    void unsetAndValidValues() {
        assertEquals(7, Params.integer("PT_SIZE", 7));
        System.setProperty("PT_SIZE", " 64 ");
        assertEquals(64, Params.integer("PT_SIZE", 7));
        System.setProperty("PT_FLAG", "False");
        assertEquals(false, Params.flag("PT_FLAG", true));
        System.setProperty("PT_RATE", "1e-3");
        assertEquals(1e-3, Params.real("PT_RATE", 0.5));
        System.setProperty("PT_NAME", "");
        assertEquals("bn", Params.string("PT_NAME", "bn"));
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        System.setProperty("PT_SIZE", "abc");
        SettingException e = assertThrows(SettingException.class, () -> Params.integer("PT_SIZE", 7));
        assertEquals("system property PT_SIZE=abc is not a whole number: give a whole number. "
                + "Correct or clear system property PT_SIZE.", e.getMessage());
        System.setProperty("PT_SIZE", "0");
        assertTrue(assertThrows(SettingException.class, () -> Params.integer("PT_SIZE", 7, 1, 100)).getMessage()
                .contains("PT_SIZE=0 is out of range: give a whole number from 1 to 100."));
        System.setProperty("PT_FLAG", "yes");
        assertTrue(assertThrows(SettingException.class, () -> Params.flag("PT_FLAG", false)).getMessage()
                .contains("PT_FLAG=yes is not a boolean: give true or false (any letter case)."));
        System.setProperty("PT_RATE", "0x1p-2");
        assertTrue(assertThrows(SettingException.class, () -> Params.real("PT_RATE", 0.5)).getMessage()
                .contains("PT_RATE=0x1p-2 is not a decimal number"));
        System.setProperty("PT_DIR", " ");
        assertTrue(assertThrows(SettingException.class, () -> Params.path("PT_DIR", "x")).getMessage()
                .contains("PT_DIR=\" \" is empty"));
        System.setProperty("PT_DIR", "a\0b");
        assertTrue(assertThrows(SettingException.class, () -> Params.path("PT_DIR", "x")).getMessage()
                .contains("is not a usable path"));
    }

    @Test
    void settingsTakeTheOverrides() {
        System.setProperty("EPOCHS", "2");
        assertEquals(2, Params.settings().stage1Epochs());
        System.setProperty("EPOCHS", "two");
        SettingException e = assertThrows(SettingException.class, Params::settings);
        assertEquals("system property EPOCHS", e.setting());
    }
}
