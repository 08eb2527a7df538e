package io.sluice.kafka.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code .proto} text a registry keeps, parsed and linked by protobuf-java as protoc would link it. */
class ProtoTextTest {
    private static Descriptors.FileDescriptor build(String text) throws Exception {
        return Descriptors.FileDescriptor.buildFrom(
                ProtoText.parse("test.proto", text),
                new Descriptors.FileDescriptor[] {Timestamp.getDescriptor().getFile()});
    }

    @Test
    void messagesEnumsMapsOneofsAndOptionalsLinkAsProtocWouldLinkThem() throws Exception {
        Descriptors.FileDescriptor file = build("""
                syntax = "proto3";
                package shop.v1;
                option java_package = "com.example.shop"; /* options do not shape data */
                import "google/protobuf/timestamp.proto";
                message Order {
                  option (my.option) = { a: 1 };
                  reserved 20 to 25;
                  int64 id = 1;
                  map<string, Line> line_items = 2;
                  Status status = 3 [deprecated = true];
                  optional string note = 4;
                  oneof pay { string card = 5; string iban = 6; }
                  google.protobuf.Timestamp at = 7;
                  message Line { sint32 count = 1; Status status = 2; }
                  repeated Line lines = 8;
                }
                enum Status { option allow_alias = true; UNKNOWN = 0; PAID = 1; SETTLED = 1; }
                service Orders { rpc Get (Order) returns (Order); }
                """);
        Descriptors.Descriptor order = file.findMessageTypeByName("Order");
        assertEquals("shop.v1.Order", order.getFullName());
        assertTrue(order.findFieldByName("line_items").isMapField());
        assertEquals(
                "LineItemsEntry",
                order.findFieldByName("line_items").getMessageType().getName());
        assertEquals(
                "shop.v1.Order.Line",
                order.findFieldByName("line_items")
                        .getMessageType()
                        .findFieldByName("value")
                        .getMessageType()
                        .getFullName());
        assertEquals(
                Descriptors.FieldDescriptor.Type.ENUM,
                order.findFieldByName("status").getType());
        assertTrue(order.findFieldByName("note").hasPresence(), "proto3 optional has presence");
        assertEquals("pay", order.findFieldByName("iban").getContainingOneof().getName());
        assertEquals(
                "google.protobuf.Timestamp",
                order.findFieldByName("at").getMessageType().getFullName());
        assertTrue(order.findFieldByName("lines").isRepeated());
        assertEquals(
                Descriptors.FieldDescriptor.Type.SINT32,
                order.findNestedTypeByName("Line").findFieldByName("count").getType());
    }

    @Test
    void proto2LabelsAndDefaultsParse() throws Exception {
        Descriptors.Descriptor message = build("""
                syntax = "proto2";
                message A { required int32 a = 1; optional string b = 2 [default = "x;y"]; repeated A children = 3; }
                """).findMessageTypeByName("A");
        assertTrue(message.findFieldByName("a").isRequired());
        assertTrue(message.findFieldByName("children").isRepeated());
    }

    @Test
    void whatIsNotAProtoFileIsSaidWithItsLine() {
        assertEquals(
                List.of(
                        "is not a Protobuf schema this reads (line 3): expected '=', found '1'",
                        "is not a Protobuf schema this reads (line 2): groups are not supported: write the group as a"
                                + " message field",
                        "is not a Protobuf schema this reads (line 1): Protobuf editions are not supported yet: write"
                                + " the schema as proto3",
                        "is not a Protobuf schema this reads (line 1): unexpected end of the schema"),
                List.of(
                                "syntax = \"proto3\";\nmessage A {\n  int32 a 1;\n}",
                                "syntax = \"proto2\";\nmessage A { optional group G = 1 { } }",
                                "edition = \"2023\";",
                                "message A {")
                        .stream()
                        .map(text -> assertThrows(
                                        IllegalArgumentException.class, () -> ProtoText.parse("t.proto", text))
                                .getMessage())
                        .toList());
    }

    @Test
    void aTypeThatIsNotDefinedFailsToLink() {
        Descriptors.DescriptorValidationException error = assertThrows(
                Descriptors.DescriptorValidationException.class,
                () -> build("syntax = \"proto3\"; message A { Missing m = 1; }"));
        assertTrue(error.getMessage().contains("\"Missing\" is not defined"), error.getMessage());
    }
}
